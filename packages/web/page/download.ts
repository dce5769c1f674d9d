/** Starts a browser download of a (presigned) link. */
export function download(link: { url: string }) {
  const anchor = document.createElement('a');
  anchor.href = link.url;
  anchor.rel = 'noreferrer';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}
