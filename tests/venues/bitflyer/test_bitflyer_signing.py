"""bitFlyer request signing: the vectors (client and simulator agree), and what the connector signs."""

from __future__ import annotations

import hashlib
import hmac

from cryptact_desktop.credentials import Credentials
from cryptact_desktop.sync.rest import Request
from cryptact_desktop.venues.bitflyer.connector import BitflyerConnector
from cryptact_desktop.venues.bitflyer.harness import BitflyerHarness
from cryptact_desktop.venues.bitflyer.signing import sign
from cryptact_desktop.venues.bitflyer.simulator import sign as simulator_sign


def test_the_vectors_hold_in_client_and_simulator() -> None:
    vectors = BitflyerHarness().signature_vectors()
    assert len(vectors) == 2
    for vector in vectors:
        assert vector.client() == vector.expected == vector.simulator()


def test_the_string_to_sign_is_timestamp_method_path_and_body() -> None:
    body = '{"product_code":"BTC_JPY","child_order_type":"LIMIT","side":"BUY","price":30000,"size":0.1}'
    expected = hmac.new(
        b"secret", b"1700000000POST/v1/me/sendchildorder" + body.encode(), hashlib.sha256
    ).hexdigest()
    assert sign("secret", "1700000000", "POST", "/v1/me/sendchildorder", body) == expected
    assert simulator_sign("secret", "1700000000", "POST", "/v1/me/sendchildorder", body) == expected
    # The query string is part of the signed path: a different order is a different signature.
    a = sign("secret", "1700000000", "GET", "/v1/me/getexecutions?product_code=BTC_JPY&count=500")
    b = sign("secret", "1700000000", "GET", "/v1/me/getexecutions?count=500&product_code=BTC_JPY")
    assert a != b


def test_the_connector_signs_the_exact_path_and_query_in_seconds() -> None:
    connector = BitflyerConnector(Credentials("KEY0000001", "SECRET0000001"), "http://127.0.0.1:8123/prefix")
    request = Request("GET", "/v1/me/getexecutions", (("product_code", "BTC_JPY"), ("count", "500")))
    url = "http://127.0.0.1:8123/prefix/v1/me/getexecutions?product_code=BTC_JPY&count=500"
    prepared = connector.sign(request, url, 1_700_000_000_999)
    headers = dict(prepared.headers)
    assert headers["ACCESS-KEY"] == "KEY0000001"
    assert headers["ACCESS-TIMESTAMP"] == "1700000000"
    assert headers["ACCESS-SIGN"] == sign(
        "SECRET0000001", "1700000000", "GET", "/prefix/v1/me/getexecutions?product_code=BTC_JPY&count=500"
    )
    assert "Content-Type" not in headers  # a GET has no body
    assert "SECRET0000001" not in repr(connector)
