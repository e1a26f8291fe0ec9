"""Tests of warden_risk against a real running Warden.

Needs WARDEN_URL, WARDEN_API_KEY (role trader), WARDEN_INSTRUMENT and WARDEN_PRICE (a price near
the market) in the environment; test/server/gateway/freqtrade.test.ts starts a paper node and
runs this file with them. Without them every test fails (nothing is skipped silently).
"""
import os
import socket
import threading
import time
import unittest
from decimal import Decimal

from warden_risk import WardenClient, WardenRiskMixin


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise AssertionError(f"{name} is not set: run against a running Warden")
    return value


class Strategy(WardenRiskMixin):
    pass


class AgainstWarden(unittest.TestCase):
    def setUp(self) -> None:
        self.client = WardenClient(env("WARDEN_URL"), env("WARDEN_API_KEY"), timeout_s=5.0)
        self.instrument = env("WARDEN_INSTRUMENT")
        self.price = Decimal(env("WARDEN_PRICE"))

    def test_a_small_order_is_allowed(self) -> None:
        self.assertEqual(self.client.check(self.instrument, "BUY", Decimal("0.001")).allowed, True)

    def test_an_order_above_the_limits_is_denied_with_the_gate_code(self) -> None:
        verdict = self.client.check(self.instrument, "BUY", Decimal("50"))
        self.assertFalse(verdict.allowed)
        self.assertIn(verdict.code, ("MAX_ORDER_QUANTITY_EXCEEDED", "MAX_ORDER_NOTIONAL_EXCEEDED", "INSUFFICIENT_BUYING_POWER"))

    def test_the_position_size_is_the_largest_halving_the_gate_allows(self) -> None:
        qty = self.client.position_size(self.instrument, "BUY", Decimal("40"), self.price, Decimal("0.00001"))
        self.assertGreater(qty, 0)
        self.assertLess(qty, Decimal("40"))
        self.assertTrue(self.client.check(self.instrument, "BUY", qty, self.price).allowed)
        self.assertFalse(self.client.check(self.instrument, "BUY", qty * 2, self.price).allowed)

    def test_the_mixin_hooks_confirm_and_size(self) -> None:
        s = Strategy()
        s.warden_url, s.warden_api_key, s.warden_instruments = env("WARDEN_URL"), env("WARDEN_API_KEY"), {"BTC/USDT": self.instrument}
        self.assertTrue(s.confirm_trade_entry("BTC/USDT", "market", 0.001, float(self.price), "GTC", None, None, "long"))
        self.assertFalse(s.confirm_trade_entry("BTC/USDT", "market", 50.0, float(self.price), "GTC", None, None, "long"))
        self.assertFalse(s.confirm_trade_entry("ETH/USDT", "market", 0.001, float(self.price), "GTC", None, None, "long"))
        stake = s.custom_stake_amount("BTC/USDT", None, float(self.price), 1_000_000.0, 10.0, 1_000_000.0, 1.0, None, "long")
        self.assertGreater(stake, 10.0)
        self.assertLess(stake, 1_000_000.0)

    def test_a_wrong_key_fails_closed(self) -> None:
        verdict = WardenClient(env("WARDEN_URL"), "wk_not_a_key", timeout_s=5.0).check(self.instrument, "BUY", Decimal("0.001"))
        self.assertEqual((verdict.allowed, verdict.code), (False, "WARDEN_ERROR"))


class FailsClosed(unittest.TestCase):
    def test_a_warden_that_never_answers_is_a_denial_within_the_timeout(self) -> None:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        held = []
        threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()
        try:
            client = WardenClient(f"http://127.0.0.1:{server.getsockname()[1]}", "any", timeout_s=0.3)
            t0 = time.monotonic()
            verdict = client.check("BTCUSDT.X", "BUY", Decimal("0.001"))
            self.assertEqual((verdict.allowed, verdict.code), (False, "WARDEN_UNREACHABLE"))
            self.assertLess(time.monotonic() - t0, 2.0)
        finally:
            server.close()

    def test_a_refused_connection_is_a_denial(self) -> None:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        verdict = WardenClient(f"http://127.0.0.1:{port}", "any", timeout_s=0.5).check("BTCUSDT.X", "BUY", Decimal("0.001"))
        self.assertEqual((verdict.allowed, verdict.code), (False, "WARDEN_UNREACHABLE"))


if __name__ == "__main__":
    unittest.main()
