// Codecs the console's live player (mpegts.js + MSE) can play, shared by the hub's viewer filter and the player.

/** Audio codecs (as the hub names them) the console decodes; any other audio is left out of a viewer's stream. */
export const BROWSER_AUDIO_CODECS: readonly string[] = ['aac', 'mp3'];

export function playableAudio(codec: string | null): boolean {
  return codec !== null && BROWSER_AUDIO_CODECS.includes(codec);
}
