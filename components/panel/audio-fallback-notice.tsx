/** Chosen audio devices that are not connected: the defaults are used (one line each). */
export function AudioFallbackNotice({ notices }: { notices: string[] }) {
  if (notices.length === 0) return null;
  return (
    <div class="notice notice--warning" data-testid="audio-fallback" role="status">
      {notices.map((text) => (
        <p key={text} class="notice-line">
          {text}
        </p>
      ))}
    </div>
  );
}
