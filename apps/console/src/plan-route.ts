import { useParams } from "react-router";

/** The plan a page shows, carried in the URL (/plans/:planId/…); null on the old plan-less paths. */
export function usePlanId(): number | null {
  const { planId } = useParams();
  const id = Number(planId);
  return Number.isInteger(id) && id > 0 ? id : null;
}
