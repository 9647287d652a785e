// The sign-in settings of issue 13 item 5 (docs/design/accounts.md): two-step sign-in (TOTP) and directory (LDAP/AD) sign-in.
import { ROLES, type Role } from '../../common/api';
import { s } from '../../common/schema';
import { count, setting, text, unsetSetting } from './setting-decl';

export const SIGNIN_SETTINGS = {
  totpRoles: setting<Role[]>({
    schema: s.array(s.enum(ROLES)),
    env: 'ARGUS_TOTP_ROLES',
    default: ['admin', 'investigator'],
    defaultText: '`["admin","investigator"]`',
    description: 'roles whose users may turn on two-step sign-in (a TOTP authenticator app) from the account menu (JSON list in the environment)',
  }),
  totpRequiredRoles: setting<Role[]>({
    schema: s.array(s.enum(ROLES)),
    env: 'ARGUS_TOTP_REQUIRED_ROLES',
    default: [],
    defaultText: '`[]` (optional for everyone)',
    description: 'roles that must use two-step sign-in: their users set it up at the next sign-in before they get a session (JSON list)',
  }),
  totpIssuer: setting({ schema: text(), env: 'ARGUS_TOTP_ISSUER', default: 'Argus', description: 'issuer name shown by authenticator apps' }),
  ldapUrl: unsetSetting({
    schema: s.string({ minLength: 1, pattern: /^ldaps?:\/\/[^\s]+$/ }),
    env: 'ARGUS_LDAP_URL',
    default: undefined,
    defaultText: '(unset: no directory sign-in)',
    description: 'directory (LDAP/AD) server, `ldap://host:389` or `ldaps://host:636`; when set, users unknown locally sign in against it',
  }),
  ldapCaFile: unsetSetting({
    schema: text(),
    env: 'ARGUS_LDAP_CA_FILE',
    default: undefined,
    description: 'PEM file of the CA that signed the directory server certificate (ldaps://), relative to the working directory',
  }),
  ldapBindDn: unsetSetting({
    schema: text(),
    env: 'ARGUS_LDAP_BIND_DN',
    default: undefined,
    defaultText: '(unset: anonymous search)',
    description: 'DN Argus binds as to search for users and groups',
  }),
  ldapBindPassword: unsetSetting({
    schema: text(),
    env: 'ARGUS_LDAP_BIND_PASSWORD',
    default: undefined,
    secret: true,
    description: 'password of `ldapBindDn`',
  }),
  ldapUserBaseDn: unsetSetting({ schema: text(), env: 'ARGUS_LDAP_USER_BASE_DN', default: undefined, description: 'where users are searched (subtree)' }),
  ldapUserFilter: setting({
    schema: s.string({ minLength: 1, pattern: /\{username\}/ }),
    env: 'ARGUS_LDAP_USER_FILTER',
    default: '(uid={username})',
    description: 'LDAP filter finding a user; `{username}` is replaced by the typed name, escaped (RFC 4515). AD: `(sAMAccountName={username})`',
  }),
  ldapGroupAttribute: setting({
    schema: text(),
    env: 'ARGUS_LDAP_GROUP_ATTRIBUTE',
    default: 'memberOf',
    description: "attribute of the user entry listing the DNs of the user's groups (AD, OpenLDAP memberof overlay)",
  }),
  ldapGroupBaseDn: unsetSetting({
    schema: text(),
    env: 'ARGUS_LDAP_GROUP_BASE_DN',
    default: undefined,
    defaultText: '(unset: only `ldapGroupAttribute`)',
    description:
      'when set, groups are also searched here by membership: `(|(member={dn})(uniqueMember={dn})(memberUid={username}))` (groupOfNames, posixGroup)',
  }),
  ldapGroupRoles: setting<Array<{ group: string; role: Role; argusGroup?: string }>>({
    schema: s.array(s.object({ group: text(), role: s.enum(ROLES), argusGroup: s.optional(text()) })),
    env: 'ARGUS_LDAP_GROUP_ROLES',
    default: [],
    description:
      'directory group DN → role, e.g. `[{"group":"cn=argus-ops,ou=groups,dc=example,dc=org","role":"dispatcher"}]`; the first entry whose group the user is in gives the role; a user in none is refused. Optional `argusGroup`: the `directoryName` of an access group the user of every matching entry joins (access groups whose `directoryName` is one of the user\'s directory groups are joined anyway; memberships of groups with a directory name follow the directory at each sign-in)',
  }),
  ldapTimeoutMs: setting({
    schema: count(),
    env: 'ARGUS_LDAP_TIMEOUT_MS',
    default: 5_000,
    description: 'deadline of connecting to and of one request to the directory, ms',
  }),
} as const;
