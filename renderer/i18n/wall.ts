// Messages of the remembered wall and the carousel of saved layouts (issue 12 item 10) in both languages.
// Keys start with 'wall.'; the Chinese text must have the same placeholders (checked by zh-CN.ts and catalog.test.ts).

export const wallEn = {
  'wall.carousel.button': 'Carousel…',
  'wall.carousel.buttonHint': 'Show saved layouts one after another, each for its dwell time',
  'wall.carousel.title': 'Carousel of saved layouts',
  'wall.carousel.explain':
    'The wall shows the saved layouts one after another, each for its dwell time, then starts again. Changing the wall by hand stops the carousel.',
  'wall.carousel.needTwo': 'Save at least two layouts to build a carousel.',
  'wall.carousel.stepLabel': 'Step {n}',
  'wall.carousel.layout': 'Layout of step {n}',
  'wall.carousel.seconds': 'Dwell of step {n} (seconds)',
  'wall.carousel.secondsShort': 'Seconds',
  'wall.carousel.secondsRange': 'Enter whole seconds from {min} to {max}.',
  'wall.carousel.add': 'Add step',
  'wall.carousel.remove': 'Remove step {n}',
  'wall.carousel.tooFew': 'A carousel needs at least two steps.',
  'wall.carousel.tooMany': 'A carousel has at most {max} steps.',
  'wall.carousel.preview': 'Order: {steps}',
  'wall.carousel.stepSummary': '{name} {seconds} s',
  'wall.carousel.start': 'Start carousel',
  'wall.carousel.stop': 'Stop carousel',
  'wall.carousel.running': 'Carousel: {name}, step {step} of {steps}, {seconds} s',
  /** After the step's layout name on the running chip. */
  'wall.carousel.chipStep': ' · {step}/{steps} · {seconds} s',
  'wall.carousel.stopShort': 'Stop',
  'wall.carousel.deletedLayout': '(deleted layout)',
} as const;

export const wallZh = {
  'wall.carousel.button': '画面分割轮巡…',
  'wall.carousel.buttonHint': '依次显示已保存的画面分割，每个停留设定的时间',
  'wall.carousel.title': '画面分割轮巡',
  'wall.carousel.explain': '视频墙依次显示已保存的画面分割，每个停留设定的时间，然后从头开始。手动更改视频墙即停止轮巡。',
  'wall.carousel.needTwo': '请先保存至少两个画面分割，才能设置画面分割轮巡。',
  'wall.carousel.stepLabel': '第 {n} 步',
  'wall.carousel.layout': '第 {n} 步的画面分割',
  'wall.carousel.seconds': '第 {n} 步的停留时间（秒）',
  'wall.carousel.secondsShort': '秒',
  'wall.carousel.secondsRange': '请输入 {min} 到 {max} 之间的整数秒。',
  'wall.carousel.add': '添加步骤',
  'wall.carousel.remove': '删除第 {n} 步',
  'wall.carousel.tooFew': '轮巡至少需要两个步骤。',
  'wall.carousel.tooMany': '轮巡最多 {max} 个步骤。',
  'wall.carousel.preview': '顺序：{steps}',
  'wall.carousel.stepSummary': '{name} {seconds} 秒',
  'wall.carousel.start': '开始轮巡',
  'wall.carousel.stop': '停止轮巡',
  'wall.carousel.running': '画面分割轮巡：{name}，第 {step}/{steps} 步，{seconds} 秒',
  'wall.carousel.chipStep': ' · {step}/{steps} · {seconds} 秒',
  'wall.carousel.stopShort': '停止',
  'wall.carousel.deletedLayout': '（已删除的画面分割）',
} as const satisfies { readonly [K in keyof typeof wallEn]: string };
