// The notification center as a page (the bell's panel, full width).
import { useTitle } from '../lib/hooks';
import { NotificationList } from '../components/NotificationCenter';

export default function Notifications() {
  useTitle('Notifications');
  return (
    <div className="px-4 py-6 sm:px-8">
      <div className="card max-w-3xl overflow-hidden">
        <NotificationList headingId="notifications-heading" headingLevel={1} />
      </div>
    </div>
  );
}
