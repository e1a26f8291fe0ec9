"""Warden pre-trade checks for Freqtrade strategies (standard library only).

Before Freqtrade enters a trade, ask Warden's REST API (``POST /api/orders/check``) whether the
gate would accept the order, and size the entry to the largest stake Warden accepts. Any failure
to get an answer (timeout, refused connection, a 4xx/5xx, an answer that is not JSON) counts as
a denial: the mixin fails closed, never open.

Usage::

    from warden_risk import WardenRiskMixin

    class MyStrategy(WardenRiskMixin, IStrategy):
        warden_url = "http://127.0.0.1:8080"
        warden_api_key = os.environ["WARDEN_API_KEY"]      # a key of role trader
        warden_instruments = {"BTC/USDT": "BTCUSDT.BINANCEUS"}
"""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any, Optional


@dataclass(frozen=True)
class Verdict:
    """Warden's answer: allowed, or the denial code and reason (``WARDEN_UNREACHABLE`` when none came)."""

    allowed: bool
    code: Optional[str] = None
    message: Optional[str] = None


class WardenClient:
    """The one call the mixin needs, with a hard timeout."""

    def __init__(self, url: str, api_key: str, timeout_s: float = 2.0) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout_s = timeout_s

    def check(self, instrument: str, side: str, quantity: Decimal, price: Optional[Decimal] = None) -> Verdict:
        body: dict[str, Any] = {"instrumentId": instrument, "side": side, "type": "LIMIT" if price is not None else "MARKET", "quantity": str(quantity)}
        if price is not None:
            body["price"] = str(price)
        req = urllib.request.Request(
            f"{self.url}/api/orders/check",
            data=json.dumps(body).encode("utf-8"),
            headers={"Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as res:
                answer = json.loads(res.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            return Verdict(False, "WARDEN_ERROR", f"Warden answered HTTP {e.code}")
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, ValueError) as e:
            return Verdict(False, "WARDEN_UNREACHABLE", f"no answer from Warden: {type(e).__name__}")
        if not isinstance(answer, dict) or not isinstance(answer.get("allowed"), bool):
            return Verdict(False, "WARDEN_ERROR", "Warden's answer is not a verdict")
        if answer["allowed"]:
            return Verdict(True)
        return Verdict(False, str(answer.get("code")), str(answer.get("message")))

    def position_size(self, instrument: str, side: str, wanted: Decimal, price: Decimal, step: Decimal, tries: int = 6) -> Decimal:
        """The largest quantity up to ``wanted`` (halving, on the ``step`` grid) that Warden's gate allows; 0 if none."""
        qty = wanted.quantize(step, rounding=ROUND_DOWN)
        for _ in range(tries):
            if qty <= 0:
                break
            verdict = self.check(instrument, side, qty, price)
            if verdict.allowed:
                return qty
            if verdict.code in ("WARDEN_UNREACHABLE", "WARDEN_ERROR"):
                return Decimal(0)
            qty = (qty / 2).quantize(step, rounding=ROUND_DOWN)
        return Decimal(0)


class WardenRiskMixin:
    """Freqtrade hooks asking Warden first. Put it before IStrategy in the bases."""

    warden_url: str = "http://127.0.0.1:8080"
    warden_api_key: str = ""
    warden_timeout_s: float = 2.0
    #: Freqtrade pair -> Warden instrument id.
    warden_instruments: dict[str, str] = {}
    #: The quantity grid used when sizing (the instrument's lot size).
    warden_lot_size: str = "0.00001"

    def _warden(self) -> WardenClient:
        return WardenClient(self.warden_url, self.warden_api_key, self.warden_timeout_s)

    def confirm_trade_entry(self, pair: str, order_type: str, amount: float, rate: float, time_in_force: str, current_time: Any, entry_tag: Optional[str], side: str, **kwargs: Any) -> bool:
        instrument = self.warden_instruments.get(pair)
        if instrument is None:
            return False
        price = Decimal(str(rate)) if order_type == "limit" else None
        qty = Decimal(str(amount)).quantize(Decimal(self.warden_lot_size), rounding=ROUND_DOWN)
        return self._warden().check(instrument, "BUY" if side == "long" else "SELL", qty, price).allowed

    def custom_stake_amount(self, pair: str, current_time: Any, current_rate: float, proposed_stake: float, min_stake: Optional[float], max_stake: float, leverage: float, entry_tag: Optional[str], side: str, **kwargs: Any) -> float:
        instrument = self.warden_instruments.get(pair)
        if instrument is None or current_rate <= 0:
            return 0.0
        rate = Decimal(str(current_rate))
        wanted = Decimal(str(min(proposed_stake, max_stake))) / rate
        qty = self._warden().position_size(instrument, "BUY" if side == "long" else "SELL", wanted, rate, Decimal(self.warden_lot_size))
        stake = float(qty * rate)
        return stake if min_stake is None or stake >= min_stake else 0.0
