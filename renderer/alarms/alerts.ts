// Alarm sound (a generated two-tone signal, no asset) and desktop notifications.

let ctx: AudioContext | null = null;

/** Plays three short two-tone beeps; silent where audio is unavailable or not yet allowed by the browser. */
export function playAlarmSound(critical: boolean): void {
  try {
    ctx ??= new AudioContext();
    const start = ctx.currentTime + 0.02;
    for (let i = 0; i < 3; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = i % 2 === 0 ? (critical ? 1200 : 880) : critical ? 900 : 660;
      gain.gain.value = 0.06;
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + i * 0.25);
      osc.stop(start + i * 0.25 + 0.18);
    }
  } catch {
    // no audio
  }
}

/** Shows a desktop notification when the operator allowed them; returns whether one was shown. */
export function desktopNotify(title: string, body: string, tag: string): boolean {
  try {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
    new Notification(title, { body, tag });
    return true;
  } catch {
    return false;
  }
}

/** Asks for permission (call from a click). */
export function requestDesktopPermission(): void {
  try {
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission();
  } catch {
    // not supported
  }
}
