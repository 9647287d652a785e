// The registry of every message the server sends a user (API errors, field errors, status reasons): code → English template.
// The console words each code from its catalogs (renderer/i18n/errors.ts); the English text stays for logs and API clients.
// A template's {name} placeholders are its params; the catalog test checks every language uses exactly the same ones.

export const MESSAGES = {
  // requests, routing, sessions
  'request.invalid': 'request is invalid',
  'request.not_json': 'request body must be JSON (Content-Type: application/json), got {type}',
  'request.too_large': 'request body is larger than {maxBytes} bytes',
  'request.aborted': 'request aborted',
  'request.empty_body': 'request body is empty; expected a JSON object',
  'request.malformed_json': 'malformed JSON: {detail}',
  'request.no_endpoint': 'no such endpoint: {path}',
  'request.method_not_allowed': '{method} is not allowed on {path} (allowed: {allow})',
  'auth.login_first': 'log in first',
  'auth.missing_token': 'log in first (missing Authorization: Bearer token)',
  'auth.session_invalid': 'session is invalid or has expired; log in again',
  'auth.forbidden': 'your role may not do this',
  'auth.invalid_credentials': 'invalid username or password',
  'auth.too_many_logins': 'too many failed logins for "{username}"; try again in {seconds} s',
  'auth.disabled': 'this account is disabled; ask an administrator',
  'auth.address_throttled': 'too many sign-in attempts from your address; try again in {seconds} s',
  'auth.busy': 'the server is busy checking other sign-ins; try again in {seconds} s',
  'auth.session_not_found': 'there is no such session (it may have ended already)',
  'server.feature_unavailable': '{feature} is not running on this server',
  'server.internal': 'internal server error; see the server log',
  'server.https_required': 'this server accepts HTTPS only; use https://',
  'storage.unavailable': 'storage is unavailable; see the server log',
  'storage.conflict': 'this value is already used',
  'storage.not_found': 'it does not exist (any more)',
  // passwords (codes kept from issue 12 item 2)
  'password.too_short': 'must be at least {min} characters long',
  'password.too_long': 'must be at most {max} characters long',
  'password.blank': 'must not be empty or only spaces',
  'password.same_char': 'must not be one character repeated',
  'password.contains_username': 'must not be or contain the user name',
  'password.common': 'is one of the most common passwords; choose another',
  'password.unchanged': 'must differ from the current password',
  'password.current_wrong': 'is not your current password',
  'password.change_required': 'change your password first (it was set by an administrator)',
  'password.throttled': 'too many wrong current passwords; try again in {seconds} s',
  // field validation (common/schema.ts)
  'schema.not_string': 'must be a string',
  'schema.empty': 'must not be empty',
  'schema.too_short': 'must be at least {min} characters',
  'schema.too_long': 'must be at most {max} characters',
  'schema.control_chars': 'must not contain control characters',
  'schema.control_chars_or_breaks': 'must not contain control characters or line breaks',
  'schema.pattern': 'must match {pattern}',
  'schema.not_number': 'must be a number',
  'schema.not_whole': 'must be a whole number',
  'schema.too_small': 'must be at least {min}',
  'schema.too_large': 'must be at most {max}',
  'schema.not_boolean': 'must be true or false',
  'schema.not_one_of': 'must be one of: {values}',
  'schema.not_list': 'must be a list',
  'schema.too_few_items': 'must have at least {min} items',
  'schema.too_many_items': 'must have at most {max} items',
  'schema.not_object': 'must be an object',
  'schema.unknown_field': 'unknown field',
  'schema.required': 'is required',
  'schema.no_change': 'must change at least one field',
  'schema.spaces_around': 'must not start or end with spaces',
  'schema.username_chars': 'may only contain letters, digits, _ . -',
  'schema.callsign_chars': 'may only contain letters, digits, spaces, _ . -',
  'schema.case_reference':
    'must be 1-64 letters (any script), digits, spaces, brackets or - _ . / + # and contain no "." or ".." path component, no leading "/" and no backslash',
  'schema.id_list': 'comma-separated camera ids',
  'schema.host': 'must be a host name or IP address',
  'url.invalid': 'is not a valid URL (expected rtsp://host[:port]/path)',
  'url.scheme': 'uses unsupported scheme "{scheme}" (use rtsp or rtsps)',
  'url.no_host': 'has no host',
  'url.credentials_differ': 'has different credentials than url; a camera has one username/password',
  'range.end_after_start': 'must be greater than startMs',
  'range.end_not_before_start': 'must not be before startMs',
  'range.max_days': 'range must be at most {days} days',
  'range.max_hours': 'may span at most {hours} h',
  // cameras, units, users, layouts
  'camera.not_found': 'camera {id} does not exist',
  'camera.name_taken': 'a camera named "{name}" already exists',
  'camera.name_is_unit': 'a unit is called "{name}"; choose another name',
  'source.not_found': 'camera or unit {id} does not exist',
  'source.name_taken': 'a camera or unit named "{name}" already exists; choose another name',
  'source.no_live_video': 'no live video from "{name}" right now',
  'live.refused': 'live video was refused (the ticket is invalid or expired, or the stream is not available)',
  'unit.not_found': 'unit {id} does not exist',
  'unit.callsign_taken': 'a unit called "{callsign}" already exists',
  'unit.callsign_is_camera': 'a camera is named "{callsign}"; choose another callsign',
  // devices, channels and the organisation tree (docs/design/devices.md)
  'org.node_not_found': 'organisation node {id} does not exist',
  'org.parent_not_found': 'organisation node {id} does not exist',
  'org.cycle': 'a node cannot move under itself or one of its descendants',
  'org.too_deep': 'the tree would be deeper than {max} levels',
  'org.name_taken': 'a node named "{name}" already exists at this place',
  'org.code_taken': 'the code {code} is already used by another node',
  'org.node_not_empty': 'the node still holds child nodes or devices; move or delete them first',
  'org.root': 'the root of the organisation tree cannot be deleted or moved',
  'device.not_found': 'device {id} does not exist',
  'device.not_agent': 'device {id} is not an agent device: it has no stream key',
  'device.not_rtsp': 'device {id} is not an RTSP device: its channels come from its protocol',
  'device.not_mobile': 'device {id} has no mobile identity',
  'device.callsign_taken': 'a device with the callsign "{callsign}" already exists',
  'device.name_taken': 'a camera, unit or channel named "{name}" already exists; choose another name',
  'device.no_channels': 'must have at least one channel',
  'channel.not_found': 'channel {id} does not exist',
  'channel.name_taken': 'a channel named "{name}" already exists',
  'channel.agent_single': 'the channel of an agent device is deleted with its device',
  'channel.not_rtsp': "channel {id} has no stream URL of its own (its device's protocol supplies it)",
  'channel.mobile_place': 'channel {id} belongs to a mobile device: it is drawn where its device is',
  'user.not_found': 'user {id} does not exist',
  // access control (issue 13, docs/design/access.md)
  'access.grant_not_found': 'grant {id} does not exist',
  'access.grant_exists': 'this principal already has this grant',
  'access.global_at_root': '{right} is a global right: it can only be granted or denied at the root of the organisation tree',
  'access.role_required': 'name the role template (principalKind role)',
  'access.principal_required': 'name the user, group or node (principalKind user, group, node)',
  'access.scope_required': 'name the node or channel (scopeKind node, channel)',
  'access.scope_not_allowed': "must be absent for scopeKind 'own'",
  'access.group_not_found': 'group {id} does not exist',
  'access.group_name_taken': 'a group named "{name}" already exists',
  'access.directory_taken': 'another group already stands for the directory group "{name}"',
  'user.name_taken': 'a user named "{username}" already exists',
  'user.last_admin': 'this is the last active administrator; make another user an administrator first',
  'layout.not_found': 'layout {id} does not exist',
  'layout.name_mismatch': 'must equal the name in the path',
  'layout.too_many_tiles': 'must have at most {max} items for layout {layout}',
  'wall.tile_out_of_range': 'must be below {count} for layout {layout}',
  'wall.step_out_of_range': 'must be below {count}',
  // investigation
  'case.not_found': 'case {id} does not exist',
  'case.reference_taken': 'a case with this reference already exists',
  'case.already_held': 'the case is already on legal hold',
  'case.not_held': 'the case is not on legal hold',
  'bookmark.not_found': 'bookmark {id} does not exist',
  'bookmark.on_hold': 'the bookmark belongs to a case on legal hold; release the hold first',
  'export.not_found': 'export {id} does not exist',
  'export.case_gone': 'case {id} no longer exists',
  'export.segment_missing': 'a recorded segment of {source} is missing (deleted by retention?)',
  'export.disk_full': 'the export disk is full',
  'export.build_failed': 'the package could not be built (details in the server log)',
  'export.finished': 'export {id} has already ended',
  'export.path_escapes': 'would leave the export directory',
  'export.not_ready': 'export {id} is not finished',
  'export.file_missing': '{file} is not in the package',
  'export.bad_file_name': 'file name is not valid percent-encoding',
  'segment.not_available': 'segment {id} is not available',
  'segment.unreadable': 'segment {id} is not readable',
  'playback.range_required': 'startMs and endMs (integers, endMs > startMs) are required',
  // investigation rights (issue 13)
  'playback.link_invalid': 'this playback link is invalid or has expired, or its session ended; reload the playback',
  'recordings.forbidden': 'you may not see the recordings of channel {id}',
  'case.forbidden': 'you may not see case {id}',
  'case.node_forbidden': 'you may not manage cases of organisation node {id}',
  'export.forbidden': 'you may not export channel {id}',
  'snapshot.forbidden': 'you may not take snapshots of channel {id}',
  'frame.no_recording': 'camera {id} has no recording at that time',
  'frame.decode_failed': 'cannot decode a frame of that recording',
  'request.get_only': 'GET only',
  'export.path_invalid': 'must not contain "..", ".", absolute paths or backslashes',
  'snapshot.not_found': 'snapshot {id} does not exist',
  'snapshot.not_recording': '{name} is not recording now: no live picture to take',
  'snapshot.no_recording': '{name} has no recording at that time',
  'snapshot.failed': 'cannot take the snapshot: the recording could not be decoded',
  'snapshot.no_frame': '{name} has no picture at that moment',
  'search.place_incomplete': 'lat, lon and radiusM go together',
  'search.place_unavailable': 'search by place needs the GPS/map feature',
  // map and alarms
  'geofence.not_found': 'geofence {id} does not exist',
  'geofence.circle_required': 'is required for a circle',
  'geofence.polygon_required': 'is required for a polygon',
  'geo.latitude_range': 'latitude must be between -90 and 90',
  'geo.longitude_range': 'longitude must be between -180 and 180',
  'alarm.not_found': 'alarm {id} does not exist',
  'alarm.test_rule': 'Test of rule "{name}"',
  'alarm_rule.not_found': 'alarm rule {id} does not exist',
  'alarm.closed': 'the alarm is closed',
  'alarm.already_acknowledged': 'the alarm is already acknowledged',
  'alarm.already_in_progress': 'the alarm is already in progress',
  'alarm.note_required': 'is required for a note',
  // ONVIF and PTZ
  'onvif.device_not_found': 'ONVIF device {id} does not exist',
  'onvif.device_exists': 'the device at {host}:{port} is already added (device {id})',
  'onvif.not_onvif': 'camera "{name}" was not added through ONVIF; it has no PTZ',
  'onvif.no_ptz': 'camera {id} has no PTZ',
  'onvif.device_unavailable': 'the ONVIF device of camera {id} is not available',
  'onvif.bad_target': 'is not an address, range or subnet: {detail}',
  'onvif.too_many_targets': 'at most 1024 addresses per discovery',
  'onvif.auth_failed': 'the device refused the user name or password; check them',
  'onvif.unreachable': '{reason}; check host and port',
  'onvif.add_failed': '{reason}; nothing was added',
  'onvif.health_auth': 'the device refused the user name or password',
  'onvif.health_unreachable': 'the device is not reachable on the network',
  'onvif.health_timeout': 'the device did not answer in time',
  'onvif.health_malformed': 'the device sent an answer that is not valid ONVIF',
  'onvif.health_fault': 'the device answered with an error',
  'onvif.health_unsupported': 'the device does not support this request',
  // GB/T 28181 (issue 14): the SIP endpoint and registrar
  'gb.not_registered': 'GB/T 28181 device {id} is not registered',
  'gb.no_answer': 'GB/T 28181 device {id} did not answer {cmd} in time',
  'gb.refused': 'GB/T 28181 device {id} refused {cmd} (SIP {status})',
  'gb.device_not_found': 'GB/T 28181 device {id} does not exist',
  'gb.not_awaiting': 'GB/T 28181 device {id} is not awaiting approval',
  'gb.keepalive_lost': 'the device stopped sending keepalives',
  'gb.unregistered': 'the device unregistered',
  'gb.registration_expired': 'the device did not renew its registration',
  'gb.no_media': 'GB/T 28181 channel {id} sent no video',
  'gb.bad_answer': 'GB/T 28181 channel {id} answered the stream request with an unreadable SDP',
  'gb.media_timeout': 'The device stopped sending video for {seconds} s; asking it again',
  'gb.live_off': 'GB/T 28181 is not running on this server',
  'ptz.held': 'PTZ of this camera is held by {username}; your priority {priority} is not higher',
  'ptz.held_recall': 'PTZ of this camera is held by {username}; preset not recalled',
  'ptz.held_tour': 'PTZ of this camera is held by {username}; the tour cannot start now',
  'preset.not_found': 'camera {cameraId} has no preset {presetId}',
  'preset.name_taken': 'a preset named "{name}" already exists on this camera',
  'preset.in_tour': 'preset "{preset}" is used by tour "{tour}"; change the tour first',
  'tour.not_found': 'camera {cameraId} has no tour {tourId}',
  // status reasons of cameras and units (media/errors.ts, the recording service)
  'status.audio_format': 'Camera audio format cannot be stored as is',
  'status.enhanced_rtmp': 'Unit sends H.265 (or AV1/VP9) over Enhanced RTMP, which this server cannot record yet',
  'status.video_format': 'Source sends a video format this server cannot read',
  'status.no_timestamps': 'Camera video has no usable timestamps (frames without a presentation time), so it cannot be recorded',
  'status.auth_rejected': 'Camera rejected the user name or password',
  'status.forbidden': 'Camera refused access to this stream (403)',
  'status.path_not_found': 'Stream path not found on the camera (check the URL path)',
  'status.refused': 'Camera refused the connection (check address and port)',
  'status.dns': 'Camera host name could not be resolved',
  'status.unreachable': 'Camera is not reachable on the network',
  'status.timeout': 'Camera did not answer in time',
  'status.disk_full': 'Recording disk is full',
  'status.permission': 'Cannot write to the recordings folder (permission denied)',
  'status.read_only': 'Recordings folder is read-only',
  'status.closed': 'Camera closed the connection',
  'status.invalid_data': 'Camera sent data that is not a readable video stream',
  'status.transport': 'Camera does not support this transport (try switching TCP/UDP)',
  'status.no_video': 'Camera sent no video',
  'status.stream_ended': 'Camera stream ended',
  'status.stalled': 'Camera stopped sending video',
  'status.stopped_detail': 'Recording stopped: {detail}',
  'status.stopped_unknown': 'Recording stopped: ffmpeg ended without saying why',
  'status.relay_codec': 'Live view unavailable: {codec} video cannot be relayed (recording continues)',
  'status.relay_audio': 'Live view without sound: {codec} audio cannot be relayed',
  'status.relay_failed': 'Live view unavailable: the stream cannot be relayed (recording continues)',
  'status.relay_hub': 'Live view unavailable: the media hub did not accept the stream (recording continues)',
  'status.hub_down': 'Live view unavailable: the media hub is not running (recording continues)',
  'status.sub_stream': 'Live sub stream unavailable: {reason}',
  'status.not_publishing': 'The unit is not sending video',
  'status.policy_off': 'Not recording: the channel\'s recording policy is "none" (live view only)',
  'status.policy_alarm': 'Not recording until an alarm names the channel (recording policy "on alarm")',
  // sign-in factors: TOTP second factor and directory (LDAP/AD) sign-in (issue 13 item 5)
  'factor.code_wrong': 'the code is wrong, expired or already used',
  'factor.pending_invalid': 'this sign-in step has expired; sign in again',
  'factor.throttled': 'too many wrong codes; try again in {seconds} s',
  'factor.already_enabled': 'two-step sign-in is already on; turn it off first',
  'factor.not_enrolling': 'start setting up two-step sign-in first',
  'factor.not_enabled': 'two-step sign-in is not on for this account',
  'factor.role_not_allowed': 'two-step sign-in is not offered to this role',
  'factor.required': 'your role must use two-step sign-in: set it up to continue',
  'factor.directory_account': 'this account signs in through the directory; its password is managed there',
  'ldap.unavailable': 'the directory server cannot be used ({cause}); directory accounts cannot sign in now, local accounts can',
  'ldap.no_group': 'your directory account is in no group that Argus maps to a role; ask an administrator',
  // GB/T 28181 (issue 14): device control (PTZ, presets, reboot, recording, alarm reset)
  'gb.control_failed': 'GB/T 28181 device {id} did not carry out {cmd} ({result})',
  'gb.presets_full': 'every preset number (1–255) of this GB/T 28181 channel is in use; delete one first',
  'gb.no_position': 'GB/T 28181 device {id} does not report its PTZ position',
  'gb.not_gb_channel': 'channel {id} is not a channel of a GB/T 28181 device',
  'gb.not_gb_device': 'device {id} is not a GB/T 28181 device',
  'gb.upper_not_found': 'upper GB/T 28181 platform {id} does not exist',
  'gb.upper_conflict': 'another upper platform or shared channel already uses GB ID {id}',
  // GB/T 28181 device recordings (issue 14 item 7): RecordInfo, playback and download from the device (codes gb.records_*)
  'gb.records_not_gb_channel': 'channel {id} is not a GB/T 28181 channel',
  'gb.records_bad_range': 'the end must be after the start',
  'gb.records_range_too_long': 'at most {hours} h per request',
  'gb.records_already_recorded': 'Argus already holds the recordings of this range',
  'gb.records_nothing_on_device': 'the device keeps no recording in the part of this range Argus lacks',
  'gb.records_download_running': 'a download from this channel is already running (download {id})',
  'gb.records_download_not_found': 'download {id} does not exist',
  'gb.records_no_media': 'the device stopped sending media',
  'gb.records_no_recording': 'the device sent no playable video for this range',
  'gb.records_interrupted': 'the server stopped during the download',
  'gb.records_cancelled': 'the download was cancelled',
  'gb.records_playback_not_found': 'playback session {id} has ended or does not exist',
  'gb.records_playback_limit': 'at most {max} device playbacks at once',
  'gb.records_control_refused': 'the device refused the playback command (SIP {status})',
} as const;

export type MessageCode = keyof typeof MESSAGES;

/** Placeholder names of a template. */
export type TemplateParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | TemplateParams<Rest> : never;

/** A param value: text, a number, or a nested message (worded in turn, e.g. the reason inside 'status.sub_stream'). */
export type MessageParam = string | number | WireMessage;

/** A message as sent on the wire: its code and params (the console trusts the server's codes, unknown ones fall back). */
export interface WireMessage {
  code: string;
  params?: Record<string, MessageParam>;
}

export type ParamsOf<C extends MessageCode> = { [P in TemplateParams<(typeof MESSAGES)[C]>]: MessageParam };

/** A registered message: a known code with exactly its template's params. */
export type ServerMessage = { [C in MessageCode]: { code: C; params: ParamsOf<C> } }[MessageCode];

type ParamsArg<C extends MessageCode> = [TemplateParams<(typeof MESSAGES)[C]>] extends [never] ? [] : [ParamsOf<C>];

/** msg('camera.not_found', { id: 3 }) → { code, params }; TypeScript checks the code and the params. */
export function msg<C extends MessageCode>(code: C, ...params: ParamsArg<C>): ServerMessage {
  return { code, params: (params[0] ?? {}) as ParamsOf<C> } as ServerMessage;
}

export function isMessageCode(code: string): code is MessageCode {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/** Placeholder names of a template, sorted, each once. */
export function templateParams(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/** The English text of a message (nested messages worded too; unknown codes give the code). */
export function englishOf(m: WireMessage): string {
  const template: string = isMessageCode(m.code) ? MESSAGES[m.code] : m.code;
  const params = m.params ?? {};
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'object' ? englishOf(v) : String(v);
  });
}
