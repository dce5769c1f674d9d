import { useLayoutEffect, useRef } from 'hono/jsx/dom';

/**
 * What every view does when it is shown: names the tab, and tells assistive
 * technology where it is now by focusing the view's heading (the returned ref).
 */
export function useView(title: string) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  useLayoutEffect(() => {
    document.title = title;
  }, [title]);
  return heading;
}
