/** A CSS-only spinner for the shell (antd's Spin would ship with the first route). */
export function PageLoading({ fullScreen = false }: { fullScreen?: boolean }) {
  return (
    <div className={fullScreen ? "page-loading page-loading-full" : "page-loading"} role="status" aria-live="polite">
      <span className="page-loading-dot" />
    </div>
  );
}
