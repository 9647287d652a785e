// Authentication: password hashes and the sign-in hasher thread, sign-in limits, sessions, sign-in/out, the first admin.
export { ensureAdmin } from './first-admin';
export { HasherBusy, PasswordHasher, type HasherOptions } from './hasher';
export { AuthService, type AfterPasswordCheck, type CredentialCheck, type LoginAttempt } from './login';
export { hashPassword, hashToken, newToken, parseHash, randomPassword, SCRYPT_PARAMS, toUserInfo, verifyPassword } from './passwords';
export { RefusalAudit } from './refusal-audit';
export { sessionId, Sessions, type SessionEntry, type SessionTimeouts } from './sessions';
export { AccountThrottle, AddressGate, DEFAULT_LIMITS, FailureLock, type SignInLimits } from './throttle';
