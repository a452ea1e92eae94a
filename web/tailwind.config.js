/** @type {import('tailwindcss').Config} */
export default {
  content: ['./index.html', './src/**/*.{ts,tsx}'],
  darkMode: 'class',
  theme: {
    extend: {
      keyframes: {
        'slide-in': { from: { transform: 'translateX(110%)', opacity: '0' }, to: { transform: 'none', opacity: '1' } },
        'shrink': { from: { transform: 'scaleX(1)' }, to: { transform: 'scaleX(0)' } },
        'pop-in': { '0%': { transform: 'scale(0.85)', opacity: '0' }, '60%': { transform: 'scale(1.04)', opacity: '1' }, '100%': { transform: 'scale(1)' } },
      },
      animation: {
        'slide-in': 'slide-in 250ms ease-out',
        'pop-in': 'pop-in 320ms ease-out',
      },
    },
  },
  plugins: [],
};
