// Preferences kept in this browser only (localStorage): the celebration
// sound. Changes are broadcast within the tab (and across tabs by the
// browser's storage event) so every listener stays in step.
import { useEffect, useState } from 'react';

export const SOUND_KEY = 'chosen.celebrationSound';
const EVENT = 'chosen:prefs';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

// Off unless turned on.
export function soundEnabled(): boolean {
  return read(SOUND_KEY) === 'on';
}

export function setSoundEnabled(on: boolean) {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    /* private mode: the toggle lasts for this page only */
  }
  window.dispatchEvent(new Event(EVENT));
}

export function useSoundEnabled(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(soundEnabled);
  useEffect(() => {
    const sync = () => setOn(soundEnabled());
    window.addEventListener(EVENT, sync);
    window.addEventListener('storage', sync);
    return () => {
      window.removeEventListener(EVENT, sync);
      window.removeEventListener('storage', sync);
    };
  }, []);
  return [on, setSoundEnabled];
}

// True when the user asked the system for less motion.
export function prefersReducedMotion(): boolean {
  try {
    return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  } catch {
    return false;
  }
}
