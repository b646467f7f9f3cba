// A yes/no the user sets (a panel shown or hidden), remembered in localStorage under `key`.
import { useCallback, useState } from 'react';

function stored(key: string, fallback: boolean): boolean {
  try {
    const value = window.localStorage.getItem(key);
    return value === null ? fallback : value === 'true';
  } catch {
    return fallback;
  }
}

export function useStoredFlag(key: string, fallback: boolean): [boolean, () => void] {
  const [value, setValue] = useState(() => stored(key, fallback));
  const toggle = useCallback(() => {
    setValue((current) => {
      try {
        window.localStorage.setItem(key, String(!current));
      } catch {
        // Storage may be unavailable (private mode): the choice then lasts this session.
      }
      return !current;
    });
  }, [key]);
  return [value, toggle];
}
