import { Link } from 'react-router-dom';
import { EmptyState } from '../components/ui';

export default function NotFound() {
  return (
    <div className="p-8">
      <EmptyState title="Page not found">
        <p>
          There is nothing at this address. <Link className="text-blue-700 underline dark:text-blue-300" to="/today">Go to Today</Link>
        </p>
      </EmptyState>
    </div>
  );
}
