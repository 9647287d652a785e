// Declarations of the users endpoints (served by main/server/routes/users.ts).
import { PasswordReset } from '../accounts';
import { UserCreate, UserUpdate } from '../api';
import { endpoint } from '../endpoint';
import { s } from '../schema';
import { IdParams } from './params';
import { UserInfoSchema } from './schemas';

export const getUsers = endpoint({
  method: 'GET',
  path: '/api/v1/users',
  auth: 'users.manage',
  tag: 'users',
  summary: 'All users',
  response: { description: 'users', schema: s.array(UserInfoSchema) },
});

export const postUsers = endpoint({
  method: 'POST',
  path: '/api/v1/users',
  auth: 'users.manage',
  tag: 'users',
  summary: 'Create a user',
  description: 'A duplicate username is 409 with field "username"; a password the policy refuses is 400 with field "password" and its code.',
  body: UserCreate,
  response: { status: 201, description: 'the new user', schema: UserInfoSchema },
});

export const patchUsersByid = endpoint({
  method: 'PATCH',
  path: '/api/v1/users/:id',
  auth: 'users.manage',
  tag: 'users',
  summary: "Change a user's role, display name or disabled flag",
  description:
    'Disabling a user ends all their sessions and event streams at once (a password is reset with POST /users/:id/password). ' +
    'The last active administrator cannot be demoted or disabled (409).',
  params: IdParams,
  body: UserUpdate,
  response: { description: 'the updated user', schema: UserInfoSchema },
});

export const postUsersByidPassword = endpoint({
  method: 'POST',
  path: '/api/v1/users/:id/password',
  auth: 'users.manage',
  tag: 'users',
  summary: "Reset a user's password; they must change it at their next sign-in",
  description:
    'The new password must pass the policy (400 with field "newPassword" and its code). Every session, event stream and ' +
    'live stream of the user ends; until they change it, their requests other than /auth/password, /auth/me and ' +
    '/auth/logout answer 403 with code "password.change_required". Audited as user.password_reset (never the password).',
  params: IdParams,
  body: PasswordReset,
  response: { description: 'the user, with mustChangePassword set', schema: UserInfoSchema },
});
