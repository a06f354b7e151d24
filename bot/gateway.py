"""The one place that talks to the LINE Messaging API (through linebot.v3.messaging)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import urllib3
import urllib3.exceptions
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
)

log = logging.getLogger(__name__)

# Seconds (connect, read): LINE answers in well under a second; a hung connection must not hold a
# webhook thread or a sender. The SDK's own retries are off (see LineGateway), so this is the most
# one call can take.
REQUEST_TIMEOUT = (2.0, 5.0)
# A reply is sent inside its webhook, which LINE abandons after 2 s: a slow LINE must not keep it
# longer. A reply given up on is recorded as failed (its token may or may not have been used).
REPLY_TIMEOUT = (1.0, 1.5)
# A profile lookup runs inside a follow event's webhook: one second in all, then the greeting goes
# out without the name (it is fetched again at the member's next message).
PROFILE_TIMEOUT = 1.0


@dataclass(frozen=True)
class SendResult:
    """What happened to one API call: delivered, retryable failure, or permanent failure."""

    ok: bool
    status: int | None = None
    error: str | None = None
    # No connection was made (refused, unreachable, connect timeout): LINE never saw the request.
    connect_failed: bool = False

    @property
    def quota_exhausted(self) -> bool:
        """LINE's 429 for the monthly limit: waiting minutes will not help, a new month (or plan) will."""
        return self.status == 429 and "monthly limit" in (self.error or "").lower()

    @property
    def retryable(self) -> bool:
        # 5xx, 429 and network errors may succeed later with the same retry key; other 4xx never will.
        return not self.ok and (self.status is None or self.status >= 500 or self.status == 429)

    @property
    def unaccepted(self) -> bool:
        """LINE certainly did not take it (5xx, 429, no connection): a reply token is still unused.

        Not a read timeout or a dropped connection: LINE may have delivered those.
        """
        if self.ok:
            return False
        return self.connect_failed or (self.status is not None and (self.status >= 500 or self.status == 429))


@dataclass(frozen=True)
class Profile:
    user_id: str
    display_name: str


@dataclass(frozen=True)
class Quota:
    limit: int | None  # None: no monthly limit
    used: int


class LineGateway:
    """Sends replies, pushes and multicasts; every push/multicast carries an X-Line-Retry-Key."""

    def __init__(self, access_token: str, endpoint: str, data_endpoint: str | None = None) -> None:
        self._client = ApiClient(_configuration(access_token, endpoint))
        self._api = MessagingApi(self._client)
        # Content lives on LINE's data host (api-data.line.me), which answers 404 on the main one.
        self._data_client = ApiClient(_configuration(access_token, data_endpoint or endpoint))
        self._blob = MessagingApiBlob(self._data_client)

    def close(self) -> None:
        self._client.close()
        self._data_client.close()

    # Sends go through the SDK's ApiClient (its auth, timeouts, retries-off pool and ApiException)
    # with the message JSON as handlers/ui.py built it. The SDK's request models would validate every
    # message, action and quick-reply item again and turn them back into the same JSON: about twenty
    # pydantic models and most of a webhook's CPU. ui.py keeps messages inside LINE's limits, and LINE
    # (and our stub, which checks what it does) refuses anything else with a 400, never retried.

    def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> SendResult:
        return self._send(
            "/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages}, None, reply=True
        )

    def push(self, user_id: str, messages: list[dict[str, Any]], retry_key: str) -> SendResult:
        return self._send("/v2/bot/message/push", {"to": user_id, "messages": messages}, retry_key)

    def multicast(self, user_ids: list[str], messages: list[dict[str, Any]], retry_key: str) -> SendResult:
        return self._send("/v2/bot/message/multicast", {"to": user_ids, "messages": messages}, retry_key)

    def profile(self, user_id: str) -> Profile | None:
        """The user's LINE profile, or None when they blocked the bot or the call failed."""
        try:
            data = self._api.get_profile(user_id, _request_timeout=PROFILE_TIMEOUT)
        except ApiException as exc:
            if exc.status != 404:
                log.warning("profile lookup failed status=%s", exc.status)
            return None
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            log.warning("profile lookup failed: %s", type(exc).__name__)
            return None
        return Profile(user_id=user_id, display_name=data.display_name)

    def quota(self) -> Quota:
        limit = self._api.get_message_quota(_request_timeout=REQUEST_TIMEOUT)
        used = self._api.get_message_quota_consumption(_request_timeout=REQUEST_TIMEOUT)
        return Quota(limit=limit.value if limit.type == "limited" else None, used=used.total_usage)

    def content(self, message_id: str) -> tuple[bytes, str] | None:
        """A user's image (bytes, content type), or None when LINE no longer has it or the call failed."""
        try:
            response = self._blob.get_message_content_with_http_info(
                message_id, _request_timeout=REQUEST_TIMEOUT
            )
        except ApiException as exc:
            log.warning("content download failed status=%s", exc.status)
            return None
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            log.warning("content download failed: %s", type(exc).__name__)
            return None
        headers = response.headers or {}
        content_type = headers.get("Content-Type") or headers.get("content-type") or "image/jpeg"
        return bytes(response.data), str(content_type)

    def _send(
        self,
        path: str,
        body: dict[str, Any],
        retry_key: str | None,
        *,
        reply: bool = False,
    ) -> SendResult:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if retry_key is not None:
            headers["X-Line-Retry-Key"] = retry_key
        return self._call(
            lambda: self._client.call_api(
                path,
                "POST",
                header_params=headers,
                body=body,
                response_types_map={},  # the answer's body is not needed: its status says it all
                auth_settings=["Bearer"],
                _return_http_data_only=True,
                _request_timeout=REPLY_TIMEOUT if reply else REQUEST_TIMEOUT,
            )
        )

    @staticmethod
    def _call(send: Any) -> SendResult:
        try:
            send()
        except ApiException as exc:
            if exc.status == 409:
                # Same retry key already accepted by LINE: the message went out the first time.
                return SendResult(ok=True, status=409)
            return SendResult(ok=False, status=exc.status, error=_error_text(exc))
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            # Timeouts and refused connections: retryable with the same retry key.
            reason = exc.reason if isinstance(exc, urllib3.exceptions.MaxRetryError) else exc
            # NewConnectionError (refused, unreachable, name not resolved) is a ConnectTimeoutError.
            connect_failed = isinstance(
                reason, (urllib3.exceptions.ConnectTimeoutError, ConnectionRefusedError)
            )
            return SendResult(
                ok=False,
                status=None,
                error=f"{type(exc).__name__}: {exc}"[:500],
                connect_failed=connect_failed,
            )
        except Exception as exc:
            # The SDK refused to build the request (e.g. a message over its limits): retrying cannot help.
            return SendResult(ok=False, status=400, error=f"{type(exc).__name__}: not sent"[:500])
        return SendResult(ok=True, status=200)


def _configuration(access_token: str, host: str) -> Configuration:
    configuration = Configuration(access_token=access_token, host=host)
    # urllib3 would otherwise retry a refused connection or a read timeout three times, silently
    # multiplying the timeout (a hung profile lookup held its webhook ~40 s). The outbox owns
    # retrying, with X-Line-Retry-Key; a failed call here fails once and says so.
    configuration.retries = urllib3.Retry(total=0, redirect=0, raise_on_status=False)
    # One connection per thread that may send at once (webhook threads, the worker's send lanes).
    configuration.connection_pool_maxsize = 16
    return configuration


def _error_text(exc: ApiException) -> str:
    body = exc.body if isinstance(exc.body, str) else (exc.body or b"").decode("utf-8", "replace")
    return f"{exc.status} {exc.reason}: {body}"[:500]
