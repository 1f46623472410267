"""The peer for the benchmark: scim2-server (PyPI, 0.8.x), served behind the
same URL prefix as scim-console, seeded in-process with the same data.

Usage: python peer_server.py PORT TOKEN USERS GROUPS BIG_GROUP IDS_FILE
Writes IDS_FILE in the format console-bench writes, then prints "ready".
"""
import json
import sys
from wsgiref.simple_server import make_server

from werkzeug.test import Client

from scim2_models import ScimProvider
from scim2_server.memory import InMemoryStorage
from scim2_server.service import ScimService
from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
from scim2_server.testserver.cli import ThreadingWSGIServer
from scim2_server.utils import load_default_resource_types, load_default_schemas, load_default_service_provider_config

PREFIX = "/apis/scim.grafana.app/v0alpha1/namespaces/default"


def main() -> None:
    port, token, users, groups, big, ids_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    config = load_default_service_provider_config()
    config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(load_default_schemas().values(), load_default_resource_types().values(), config=config)
    app = BearerTokenApplication(InMemoryStorage(), provider, service=ScimService(provider, secret="bench"), bearer_tokens=[token])

    def prefixed(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            environ["PATH_INFO"] = "/v2" + path[len(PREFIX):]
        return app(environ, start_response)

    client = Client(prefixed)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}
    ids = []
    for i in range(users):
        name = f"user{i}@example.com"
        body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name,
                "displayName": f"User {i}", "externalId": f"00u{i}", "active": True,
                "emails": [{"value": name, "type": "work", "primary": True}]}
        r = client.post(PREFIX + "/Users", data=json.dumps(body), headers=headers)
        ids.append(r.get_json()["id"])
    group_ids = []
    for j in range(groups):
        members = [{"value": u} for u in ids[:big]] if j == 0 else []
        body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": f"Team {j}", "members": members}
        r = client.post(PREFIX + "/Groups", data=json.dumps(body), headers=headers)
        group_ids.append(r.get_json()["id"])
    with open(ids_file, "w") as f:
        f.write("\n".join([group_ids[0] if group_ids else ""] + ids[big:big + 10000] + ["--"] + ids))
    with make_server("127.0.0.1", int(port), prefixed, server_class=ThreadingWSGIServer) as server:
        print("ready", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
