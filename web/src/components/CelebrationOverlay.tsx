// Micro-celebrations: on a `celebration` event, a confetti burst (a small
// canvas animation, skipped when the user prefers reduced motion), a toast
// with the title and body, and an optional chime (Settings; off by default).
// Each kind has its icon and colour: a task, a goal, a personal best, and
// gamification's badge unlocked, streak milestone and competition won (these
// link to the profile or the competition).
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ArrowRight, X } from 'lucide-react';
import { useHub } from '../contexts/HubContext';
import { cn } from '../lib/format';
import { celebrationLook } from './game';
import { confettiPieces } from '../lib/hub';
import { prefersReducedMotion, soundEnabled } from '../lib/localPrefs';
import { playChime } from '../lib/sound';

const SHOW_MS = 7000;
const BURST_MS = 1800;

function Confetti({ seed }: { seed: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const g = canvas?.getContext('2d');
    if (!canvas || !g) return;
    const dpr = window.devicePixelRatio || 1;
    const w = window.innerWidth;
    const h = window.innerHeight;
    canvas.width = w * dpr;
    canvas.height = h * dpr;
    g.scale(dpr, dpr);
    const pieces = confettiPieces(90, seed);
    const start = performance.now();
    let frame = 0;
    const draw = (now: number) => {
      const t = (now - start) / 1000;
      g.clearRect(0, 0, w, h);
      const fade = Math.max(0, 1 - (now - start) / BURST_MS);
      for (const p of pieces) {
        const x = (p.x + p.vx * t) * w;
        const y = p.y * h + p.vy * t * h + 0.9 * t * t * h; // gravity
        g.save();
        g.globalAlpha = fade;
        g.translate(x, y);
        g.rotate(p.rotation + p.spin * t);
        g.fillStyle = p.color;
        g.fillRect(-p.size / 2, -p.size / 4, p.size, p.size / 2);
        g.restore();
      }
      if (now - start < BURST_MS) frame = requestAnimationFrame(draw);
      else g.clearRect(0, 0, w, h);
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [seed]);
  return <canvas ref={ref} aria-hidden data-testid="confetti" className="pointer-events-none fixed inset-0 z-[60] h-full w-full" />;
}

export function CelebrationOverlay() {
  const { celebration, closeCelebration } = useHub();
  const [paused, setPaused] = useState(false);
  const key = celebration?.key;

  // Sound once per celebration, if turned on.
  useEffect(() => {
    if (celebration && soundEnabled()) playChime(celebration.kind);
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (key === undefined || paused) return;
    const t = setTimeout(closeCelebration, SHOW_MS);
    return () => clearTimeout(t);
  }, [key, paused, closeCelebration]);

  if (!celebration) return null;
  const look = celebrationLook(celebration.kind);
  const Icon = look.icon;
  const link =
    celebration.kind === 'badge'
      ? { to: '/profile', label: 'See your badges' }
      : celebration.kind === 'streak'
        ? { to: '/profile', label: 'See your streak' }
        : celebration.kind === 'competition'
          ? { to: typeof celebration.competition_id === 'number' ? `/competitions/${celebration.competition_id}` : '/competitions', label: 'See the results' }
          : null;
  const motion = !prefersReducedMotion();
  return (
    <>
      {motion && <Confetti key={celebration.key} seed={celebration.key * 7919} />}
      <div
        className="fixed left-1/2 top-4 z-[61] w-[26rem] max-w-[calc(100vw-2rem)] -translate-x-1/2"
        onMouseEnter={() => setPaused(true)}
        onMouseLeave={() => setPaused(false)}
        onFocus={() => setPaused(true)}
        onBlur={() => setPaused(false)}
      >
        <div
          role="status"
          aria-live="polite"
          data-testid="celebration"
          data-kind={celebration.kind}
          data-confetti={motion ? 'on' : 'off'}
          className={cn('flex items-start gap-3 rounded-xl border motion-safe:animate-pop-in bg-white p-4 shadow-2xl dark:bg-slate-800', look.border)}
        >
          <span className={cn('flex h-10 w-10 shrink-0 items-center justify-center rounded-full', look.tone)} data-testid="celebration-icon">
            <Icon aria-hidden className="h-5 w-5" />
          </span>
          <div className="min-w-0 flex-1">
            <p className="font-semibold text-slate-900 dark:text-white" data-testid="celebration-title">
              {celebration.title}
            </p>
            {celebration.body && <p className="mt-0.5 text-sm text-slate-700 dark:text-slate-300">{celebration.body}</p>}
            {link && (
              <Link
                to={link.to}
                onClick={closeCelebration}
                className="mt-1.5 inline-flex items-center gap-1 text-sm font-medium text-blue-700 hover:underline dark:text-blue-300"
              >
                {link.label} <ArrowRight aria-hidden className="h-3.5 w-3.5" />
              </Link>
            )}
          </div>
          <button type="button" onClick={closeCelebration} className="btn-ghost p-1" aria-label="Close celebration">
            <X aria-hidden className="h-4 w-4" />
          </button>
        </div>
      </div>
    </>
  );
}
