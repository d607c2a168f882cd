"""Microsoft's sign-in endpoints, stood in locally for a bot that runs as a real process.

The API process validates incoming tokens against ``login.botframework.com`` (or the tenant's keys at
``login.microsoftonline.com``) and gets its own outbound token from Entra ID through MSAL. Neither host is
reachable here, and the SDK offers no setting to point either elsewhere. So the process is configured the way
an outbound corporate proxy would be -- ``HTTPS_PROXY`` plus a CA bundle -- and the proxy below tunnels those two
hosts (and nothing else) to a local HTTPS server that publishes our test keys and issues a token. The SDK, PyJWT
and MSAL run unchanged: same URLs, same TLS checks, same OAuth client-credentials exchange.
"""

import asyncio
import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.teams.support import free_port, public_jwks, serve

MICROSOFT_HOSTS = frozenset({"login.botframework.com", "login.microsoftonline.com"})
ISSUED_TOKEN = "stand-in-entra-access-token"


@dataclass(frozen=True)
class TlsFiles:
    """A throw-away CA (to trust) and a server certificate for the Microsoft hosts, signed by it."""

    ca_certificate: Path
    server_certificate: Path
    server_key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_tls_files(directory: Path, hosts: frozenset[str] = MICROSOFT_HOSTS) -> TlsFiles:
    """Write a test CA and a server certificate for ``hosts`` into ``directory`` (PEM files)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("HIPS test CA"))
        .issuer_name(_name("HIPS test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(sorted(hosts)[0]))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host) for host in sorted(hosts)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    files = TlsFiles(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
    files.ca_certificate.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.server_certificate.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    files.server_key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return files


@dataclass
class IdentityStandIn:
    """Bot Framework's and the tenant's published keys, the tenant's OpenID metadata and its token endpoint."""

    client_id: str
    client_secret: str
    jwks: dict[str, Any] = field(default_factory=public_jwks)
    requests: list[dict[str, Any]] = field(default_factory=list)  # host, method, path, and a token form's fields

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def record(request: Request, call_next):
            entry = {"host": request.headers.get("host", ""), "method": request.method, "path": request.url.path}
            if request.method == "POST":
                form = parse_qs((await request.body()).decode())
                entry["form"] = {name: values[0] for name, values in form.items() if name != "client_secret"}
            self.requests.append(entry)
            return await call_next(request)

        @app.get("/v1/.well-known/keys")
        @app.get("/{tenant}/discovery/v2.0/keys")
        async def keys(tenant: str = "") -> dict[str, Any]:
            return self.jwks

        @app.get("/{tenant}/v2.0/.well-known/openid-configuration")
        async def openid_configuration(tenant: str) -> dict[str, Any]:
            base = f"https://login.microsoftonline.com/{tenant}"
            return {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
            }

        @app.post("/{tenant}/oauth2/v2.0/token")
        async def issue_token(tenant: str, request: Request) -> JSONResponse:
            form = {name: values[0] for name, values in parse_qs((await request.body()).decode()).items()}
            known_client = form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret
            if form.get("grant_type") != "client_credentials" or not known_client:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            return JSONResponse({"token_type": "Bearer", "expires_in": 3599, "access_token": ISSUED_TOKEN})

        return app


class TunnelProxy:
    """An HTTP CONNECT proxy that tunnels the Microsoft sign-in hosts to one local port and refuses the rest."""

    def __init__(self, target_port: int, hosts: frozenset[str] = MICROSOFT_HOSTS) -> None:
        self.target_port = target_port
        self.hosts = hosts
        self.refused: list[str] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
            method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            host = target.rsplit(":", 1)[0]
            if method != "CONNECT" or host not in self.hosts:
                self.refused.append(target)
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                await writer.drain()
                return
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


@contextmanager
def run_proxy(proxy: TunnelProxy, port: int) -> Iterator[None]:
    """Run ``proxy`` on 127.0.0.1:``port`` in a background thread with its own event loop."""
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(asyncio.start_server(proxy.handle, "127.0.0.1", port))
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)


@dataclass(frozen=True)
class MicrosoftStandIn:
    """The running stand-in: what it recorded, and the environment that routes a process through it."""

    identity: IdentityStandIn
    proxy: TunnelProxy
    environment: dict[str, str]


@contextmanager
def microsoft_stand_in(directory: Path, client_id: str, client_secret: str) -> Iterator[MicrosoftStandIn]:
    """Serve the stand-in over HTTPS behind the tunnelling proxy; yield it with the environment to use it.

    The environment sends HTTPS through the proxy (plain HTTP and loopback go direct) and makes requests (MSAL)
    and OpenSSL (PyJWT's urllib) trust the test CA only.
    """
    tls = make_tls_files(directory)
    identity = IdentityStandIn(client_id=client_id, client_secret=client_secret)
    https_port, proxy_port = free_port(), free_port()
    proxy = TunnelProxy(https_port)
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    environment = {
        "HTTPS_PROXY": proxy_url,
        "https_proxy": proxy_url,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "REQUESTS_CA_BUNDLE": str(tls.ca_certificate),
        "SSL_CERT_FILE": str(tls.ca_certificate),
    }
    ssl = {"ssl_certfile": str(tls.server_certificate), "ssl_keyfile": str(tls.server_key)}
    with serve(identity.app(), https_port, **ssl), run_proxy(proxy, proxy_port):
        yield MicrosoftStandIn(identity, proxy, environment)
