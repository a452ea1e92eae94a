// A short, soft chime for a celebration, synthesised with WebAudio (no
// audio files): three rising notes. Played only when the user turned the
// sound on in Settings.
let ctx: AudioContext | null = null;

export function playChime(kind: string = 'task') {
  try {
    const AC: typeof AudioContext | undefined = window.AudioContext ?? (window as any).webkitAudioContext;
    if (!AC) return;
    ctx ??= new AC();
    if (ctx.state === 'suspended') void ctx.resume();
    const notes = kind === 'task' ? [659.25, 987.77] : [523.25, 659.25, 783.99, 1046.5];
    const start = ctx.currentTime + 0.02;
    notes.forEach((freq, i) => {
      const osc = ctx!.createOscillator();
      const gain = ctx!.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t = start + i * 0.11;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.18, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.35);
      osc.connect(gain).connect(ctx!.destination);
      osc.start(t);
      osc.stop(t + 0.4);
    });
  } catch {
    /* sound is a nicety */
  }
}
