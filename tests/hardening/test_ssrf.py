"""URL ingestion never reaches loopback, private, link-local or metadata addresses unless
INGEST_ALLOW_PRIVATE_URLS says so, whatever the scheme, DNS answer or redirect."""

import io
import socket
from pathlib import Path

import pytest
import urllib3.util.connection
from django.core.management import call_command

from articles.ingest.errors import FetchError
from articles.ingest.fetch import fetch_url
from articles.models import Article

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "jsonld-newsarticle.html"
PUBLIC_IP = "93.184.215.14"  # globally routable; the fake network below sends it to localhost


@pytest.fixture
def article_server(page_server):
    page_server.pages["/story"] = (200, {}, PAGE.read_bytes())
    return page_server


@pytest.fixture
def fake_public_dns(monkeypatch, page_server):
    """``*.public.example`` resolves to a public address, and connections to that address
    land on the local test server: a public web site we control. ``*.rebind.example``
    resolves to loopback, as a hostile DNS zone would."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = urllib3.util.connection.create_connection

    def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".public.example"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port))]
        if isinstance(host, str) and host.endswith(".rebind.example"):
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            ]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        if address[0] == PUBLIC_IP:
            address = ("127.0.0.1", page_server.port)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    return page_server


def test_a_local_page_is_fetched_when_private_urls_are_allowed(article_server):
    document = fetch_url(article_server.url("/story"), allow_private=True)

    assert document.url == article_server.url("/story")
    assert b"<html" in document.content.lower()


def test_a_local_page_is_refused_by_default(article_server):
    with pytest.raises(FetchError, match=r"refusing to fetch 127\.0\.0\.1.*loopback"):
        fetch_url(article_server.url("/story"))

    assert article_server.requested == []


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/",
        "http://127.0.0.1:9/",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.0.1/",
        "http://100.64.0.1/",
        "http://169.254.1.1/",
        "http://[fe80::1]/",
        "http://[fd12:3456::1]/",
        "http://[2002:7f00:1::1]/",  # 6to4 of 127.0.0.1
        "http://[2002:5db8:d70e::1]/",  # 6to4 of a public address: relayed, so unchecked
        "http://[fec0::1]/",  # IPv6 site-local
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "https://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_private_and_metadata_addresses_are_refused(url):
    with pytest.raises(FetchError, match="refusing"):
        fetch_url(url, timeout=2)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/",
    ],
)
def test_metadata_addresses_stay_refused_even_when_private_urls_are_allowed(url):
    with pytest.raises(FetchError, match=r"refusing.*metadata"):
        fetch_url(url, timeout=2, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/article.html",
        "gopher://127.0.0.1:70/_GET",
        "dict://127.0.0.1:11211/stats",
        "ldap://127.0.0.1/",
        "jar:http://example.org/x.jar!/",
    ],
)
def test_non_web_schemes_are_refused(url):
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url(url, allow_private=True)


def test_a_public_host_resolving_to_a_private_address_is_refused(fake_public_dns):
    fake_public_dns.pages["/story"] = (200, {}, PAGE.read_bytes())

    with pytest.raises(FetchError, match="loopback"):
        fetch_url(f"http://news.rebind.example:{fake_public_dns.port}/story")

    assert fake_public_dns.requested == []


def test_a_public_host_is_fetched(fake_public_dns):
    fake_public_dns.pages["/story"] = (200, {}, PAGE.read_bytes())

    document = fetch_url(f"http://news.public.example:{fake_public_dns.port}/story")

    assert b"<html" in document.content.lower()


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/private",
        "http://localhost:{port}/private",
        "http://10.0.0.8/private",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_from_a_public_page_to_a_private_address_is_refused(fake_public_dns, target):
    server = fake_public_dns
    server.pages["/moved"] = (302, {"Location": target.format(port=server.port)}, b"")
    server.pages["/private"] = (200, {}, b"<html><title>internal</title></html>")

    with pytest.raises(FetchError, match=r"refusing|only http and https"):
        fetch_url(f"http://news.public.example:{server.port}/moved")

    assert server.requested == ["/moved"]


def test_a_redirect_from_an_allowed_local_server_to_metadata_is_refused(page_server):
    page_server.pages["/moved"] = (301, {"Location": "http://169.254.169.254/"}, b"")

    with pytest.raises(FetchError, match="metadata"):
        fetch_url(page_server.url("/moved"), allow_private=True)


@pytest.mark.django_db
def test_ingest_command_follows_the_setting(article_server, gazetteer, settings):
    out, err = io.StringIO(), io.StringIO()
    settings.INGEST_ALLOW_PRIVATE_URLS = False

    with pytest.raises(SystemExit):
        call_command("ingest", article_server.url("/story"), stdout=out, stderr=err)
    refused_count = Article.objects.count()
    settings.INGEST_ALLOW_PRIVATE_URLS = True
    call_command("ingest", article_server.url("/story"), stdout=out, stderr=err)

    assert refused_count == 0
    assert "loopback" in err.getvalue()
    assert Article.objects.count() == 1
    assert article_server.requested == ["/story"]


@pytest.mark.django_db
def test_editor_import_of_a_local_url_is_refused_with_a_message(
    editor_client, article_server, gazetteer, settings
):
    settings.INGEST_ALLOW_PRIVATE_URLS = False

    response = editor_client.post(
        "/admin/articles/article/import/", {"url": article_server.url("/story")}
    )

    assert response.status_code == 200
    assert "loopback" in response.content.decode()
    assert article_server.requested == []
