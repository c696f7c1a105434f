"""Who the issuer is: the identity header of a terms profile.

The handbook names the issuer only through these values (filled into pages by
``⟦issuer⟧``-style tokens, :func:`procedures.render.fill_profile`), so another
bank's handbook is a matter of data.  Texts in the header may themselves use
``⟦issuer⟧ ⟦issuer_short⟧ ⟦hotline⟧ ⟦hotlines⟧ ⟦app⟧``: a copied profile renamed
in ``issuer``/``issuer_short``/``hotlines``/``app`` needs no other edit.
Standard library only (it also runs in the browser).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from .errors import CalculatorInputError

__all__ = ["IDENTITY_KEYS", "identity"]

#: The header keys of a profile: who the issuer is and how the handbook names it.  Texts may use
#: the tokens ``⟦issuer⟧ ⟦issuer_short⟧ ⟦hotline⟧ ⟦hotlines⟧ ⟦app⟧``, filled from the same profile,
#: so a copied profile renamed in ``issuer``/``issuer_short``/``hotlines``/``app`` needs no other edit.
IDENTITY_KEYS: tuple[str, ...] = ("code", "issuer", "label", "currency", "issuer_short", "hotlines", "app",
                                  "complaint_channel", "footer", "identity_source")
_IDENTITY_MEANING = {
    "code": "the profile's code (lowercase letters, digits, '-' or '_')",
    "issuer": "the issuer's full name, e.g. 招商银行",
    "label": "one line describing the profile and how reliable it is",
    "currency": "the account currency, e.g. CNY",
    "issuer_short": "the short name staff and customers use, e.g. 招行",
    "hotlines": "the official customer-service numbers, main one first, each in quotes, e.g. [\"95555\"]",
    "app": "the official app's name, e.g. 招商银行App",
    "complaint_channel": "the issuer's own complaint channel, one sentence",
    "footer": "the issuer-specific part of the page footer (what the figures are and what prevails)",
    "identity_source": "where the names, numbers and channels above come from",
}
_IDENTITY_TOKEN = re.compile(r"⟦(issuer|issuer_short|hotline|hotlines|app)⟧")


def identity(data: Mapping[str, Any], where: Callable[..., str]) -> dict[str, Any]:
    """The validated header of a profile, identity tokens filled in; ``where(key)`` gives an error's location.

    >>> header = identity({"code": "x", "issuer": "示例银行", "label": "⟦issuer⟧信用卡", "currency": "CNY",
    ...                    "issuer_short": "示例行", "hotlines": ["95000"], "app": "⟦issuer⟧App",
    ...                    "complaint_channel": "⟦app⟧或客服 ⟦hotline⟧", "footer": "以合约为准", "identity_source": "官网"},
    ...                   lambda *key: "<dict>:1")
    >>> header["label"], header["complaint_channel"], header["hotlines"]
    ('示例银行信用卡', '示例银行App或客服 95000', ('95000',))
    """
    header: dict[str, Any] = {}
    for key in IDENTITY_KEYS:
        value = data.get(key)
        if key == "hotlines":
            if (isinstance(value, (list, tuple)) and value
                    and all(isinstance(v, str) and re.fullmatch(r"[0-9][0-9-]{2,19}", v.strip()) for v in value)):
                header[key] = tuple(v.strip() for v in value)
                continue
            raise CalculatorInputError(key, value, _IDENTITY_MEANING[key], allowed_zh="客服电话列表，主号码在前，每个号码加引号，如 [\"95555\"]",
                                       location=where(key))
        if not isinstance(value, str) or not value.strip():
            raise CalculatorInputError(key, value, f"a non-empty text: {_IDENTITY_MEANING[key]}", allowed_zh="非空文本",
                                       location=where(key))
        header[key] = value.strip()
    if not re.fullmatch(r"[a-z0-9_-]+", header["code"]):
        raise CalculatorInputError("code", header["code"], "lowercase letters, digits, '-' or '_'",
                                   allowed_zh="小写字母、数字、- 或 _", location=where("code"))
    names = {"issuer": header["issuer"], "issuer_short": header["issuer_short"], "hotline": header["hotlines"][0],
             "hotlines": "、".join(header["hotlines"]), "app": header["app"]}
    for key in ("app", "label", "complaint_channel", "footer", "identity_source"):  # app first: others may name it
        header[key] = _IDENTITY_TOKEN.sub(lambda m: names[m.group(1)], header[key])
        names["app"] = header["app"]
    return header


