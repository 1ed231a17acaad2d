import { Button, Result } from "antd";
import { Link } from "react-router";
import { useT } from "../i18n.tsx";

/** Any path the console does not know: says so instead of quietly showing the board. */
export default function NotFoundPage() {
  const t = useT();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t("页面不存在", "This page does not exist")}
      extra={
        <Link to="/">
          <Button type="primary" data-testid="not-found-home">
            {t("返回总览", "Back to the board")}
          </Button>
        </Link>
      }
      data-testid="not-found"
    />
  );
}
