// The operating system's notifications (the Notification API), for the
// hub's pushes while the app is open in a tab.
import type { HubNotification } from '../types';
import { wantsBrowserNotification } from './notifications';

export type Permission = NotificationPermission | 'unsupported';

export function browserPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function requestBrowserPermission(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

// Raises one for `n` when allowed; the tag makes the system show it once
// however many tabs receive it. Clicking it focuses the app at `href`.
export function raiseBrowserNotification(n: HubNotification, href: string | null, go: (href: string) => void) {
  if (!wantsBrowserNotification(n, browserPermission())) return;
  try {
    const shown = new Notification(n.title, { body: n.body, tag: `chosen-notification-${n.id}`, icon: '/favicon.svg' });
    shown.onclick = () => {
      window.focus();
      if (href) go(href);
      shown.close();
    };
  } catch {
    /* e.g. a mobile browser that only allows service-worker notifications */
  }
}
