// The device model's route groups in one import for the route table (org, devices, channels).
export { orgRoutes } from './org';
export { deviceRoutes } from './devices';
export { channelRoutes } from './channels';
