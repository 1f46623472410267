"""Runs scim2-tester's checks against a running scim-console endpoint.

Usage: python scim2_tester_check.py BASE_URL TOKEN
Prints every check that did not succeed, then counts by status; exits 1 if
any check ended in ERROR or CRITICAL (scim2-tester's "failed").
"""
import sys
from collections import Counter

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

FAILED = {Status.ERROR, Status.CRITICAL}


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    results = check_server(client)
    counts = Counter(r.status.name for r in results)
    for r in results:
        if r.status not in (Status.SUCCESS, Status.SKIPPED):
            where = f"[{r.resource_type}] " if r.resource_type else ""
            print(f"{r.status.name:10} {where}{r.title}: {r.reason}")
    summary = ", ".join(f"{name.lower()} {n}" for name, n in sorted(counts.items()))
    failed = sum(counts[s.name] for s in FAILED)
    print(f"scim2-tester: {len(results)} checks: {summary}; failed {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
