// Messages of the session list (issue 13 item 5) in both languages; spread into the catalogs in en.ts and zh-CN.ts.

export const sessionsEn = {
  'sessions.menu': 'Sessions',
  'sessions.title.own': 'Your sessions',
  'sessions.title.user': 'Sessions of "{name}"',
  'sessions.action': 'Sessions',
  'sessions.col.created': 'Signed in',
  'sessions.col.lastSeen': 'Last request',
  'sessions.col.expires': 'Ends',
  'sessions.col.address': 'Address',
  'sessions.col.client': 'Browser',
  'sessions.current': 'This session',
  'sessions.end': 'Sign out',
  'sessions.none': 'No sessions.',
  'sessions.ended': 'Session ended.',
} as const;

export const sessionsZh = {
  'sessions.menu': '会话',
  'sessions.title.own': '您的会话',
  'sessions.title.user': '“{name}”的会话',
  'sessions.action': '会话',
  'sessions.col.created': '登录时间',
  'sessions.col.lastSeen': '最近请求',
  'sessions.col.expires': '结束时间',
  'sessions.col.address': '地址',
  'sessions.col.client': '浏览器',
  'sessions.current': '当前会话',
  'sessions.end': '退出登录',
  'sessions.none': '没有会话。',
  'sessions.ended': '会话已结束。',
} as const satisfies Record<keyof typeof sessionsEn, string>;
