import { useLayoutEffect, useRef } from 'hono/jsx/dom';

/** `.current` is false once the component is gone: an answer that arrives later is dropped. */
export function useMounted() {
  const mounted = useRef(true);
  useLayoutEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return mounted;
}
