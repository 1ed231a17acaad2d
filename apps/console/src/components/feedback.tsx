import { App } from "antd";
import type { ReactNode } from "react";

/** antd's App (message, modal, notification hooks), loaded with the first page rather than the shell. */
export default function Feedback({ children }: { children: ReactNode }) {
  return <App>{children}</App>;
}
