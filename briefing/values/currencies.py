"""Which currency a value is in, from the value itself and the evidence around it.

A sign is read as a currency only when nothing points elsewhere: ``$`` is USD
unless another dollar is named (``A$``, ``HK$``, Australian dollars in the item or
its context), and ``¥`` is CNY or JPY only when the value, the item, its context or
the episode's language points to China or Japan, and to one of them.
"""

from __future__ import annotations

DOLLAR = "$dollar"
"""A dollar of no named country: USD unless the evidence names another dollar."""
YEN_OR_YUAN = "$yen-or-yuan"
"""¥: CNY or JPY by the evidence, otherwise unknown."""

SYMBOLS = {
    "$": DOLLAR,
    "﹩": DOLLAR,
    "¥": YEN_OR_YUAN,
    "￥": YEN_OR_YUAN,
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "₱": "PHP",
    "฿": "THB",
    "₴": "UAH",
    "₦": "NGN",
    "₿": "BTC",
}
# The letters written right before ``$`` or ``¥`` that name the country.
DOLLAR_PREFIXES = {
    "US": "USD",
    "U.S.": "USD",
    "A": "AUD",
    "AU": "AUD",
    "C": "CAD",
    "CA": "CAD",
    "CAN": "CAD",
    "HK": "HKD",
    "NZ": "NZD",
    "S": "SGD",
    "SG": "SGD",
    "NT": "TWD",
    "MX": "MXN",
    "R": "BRL",
}
YEN_PREFIXES = {"CN": "CNY", "RMB": "CNY", "JP": "JPY"}
# ISO 4217 codes common enough to be meant as a currency when written beside a number
# (``ALL 5`` or ``TOP 10`` are not in Albanian lek or Tongan paʻanga).
CODES = frozenset(
    {"USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "NZD", "HKD", "SGD", "INR"}
    | {"KRW", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RUB", "TRY", "BRL", "MXN", "ZAR"}
    | {"TWD", "THB", "IDR", "MYR", "VND", "ILS", "AED", "SAR", "ARS", "CLP", "COP", "PEN"}
    | {"NGN", "EGP", "KES", "PKR", "UAH", "RON", "BGN", "ISK", "BTC"}
)
CODE_ALIASES = {"RMB": "CNY", "US$": "USD"}
# Currency words after a number, lowercased; ``dollars`` is any dollar, as ``$`` is.
# Words that name a currency of several countries (pounds, pesos, francs, rupees,
# kronor), a weight (pound, Pfund, livre) or also an English word (won, real) are
# left out: they stay blank.
WORDS = {
    "dollar": DOLLAR,
    "dollars": DOLLAR,
    "dólar": DOLLAR,
    "dólares": DOLLAR,
    "dolares": DOLLAR,
    "us-dollar": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "yen": "JPY",
    "yens": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "sterling": "GBP",
    "franken": "CHF",
    "reais": "BRL",
    "rubles": "RUB",
    "roubles": "RUB",
    "rubel": "RUB",
}
# Two words that name a currency: US dollars, Swiss francs, livres sterling.
TWO_WORDS = {
    ("us", "dollars"): "USD",
    ("us", "dollar"): "USD",
    ("u.s.", "dollars"): "USD",
    ("american", "dollars"): "USD",
    ("australian", "dollars"): "AUD",
    ("canadian", "dollars"): "CAD",
    ("swiss", "francs"): "CHF",
    ("francs", "suisses"): "CHF",
    ("pounds", "sterling"): "GBP",
    ("livres", "sterling"): "GBP",
    ("libras", "esterlinas"): "GBP",
    ("indian", "rupees"): "INR",
    ("dólares", "estadounidenses"): "USD",
    ("dollars", "américains"): "USD",
    ("chinese", "yuan"): "CNY",
    ("japanese", "yen"): "JPY",
}
# Chinese and Japanese currency words, longest first where one holds another (日元
# holds 元: it is the yen, not the yuan).
CJK_WORDS = {
    "人民币": "CNY",
    "人民幣": "CNY",
    "人民元": "CNY",
    "美元": "USD",
    "美金": "USD",
    "米ドル": "USD",
    "日元": "JPY",
    "日圆": "JPY",
    "日圓": "JPY",
    "欧元": "EUR",
    "歐元": "EUR",
    "ユーロ": "EUR",
    "英镑": "GBP",
    "英鎊": "GBP",
    "英ポンド": "GBP",
    "港元": "HKD",
    "港币": "HKD",
    "港幣": "HKD",
    "香港ドル": "HKD",
    "韩元": "KRW",
    "韓元": "KRW",
    "ウォン": "KRW",
    "澳元": "AUD",
    "豪ドル": "AUD",
    "加元": "CAD",
    "カナダドル": "CAD",
    "新台币": "TWD",
    "新台幣": "TWD",
    "台币": "TWD",
    "瑞郎": "CHF",
    "ドル": DOLLAR,
    "元": "CNY",
    "块": "CNY",
    "塊": "CNY",
    "円": "JPY",
}
CJK_LONGEST = max(len(word) for word in CJK_WORDS)

# Evidence for ¥ and for another dollar, searched in the value, the item and its context.
_CHINA_WORDS = frozenset({"rmb", "cny", "yuan", "renminbi", "chinese", "china"})
_CHINA_CJK = ("元", "人民币", "人民幣", "中国", "中國", "块钱")
_JAPAN_WORDS = frozenset({"jpy", "yen", "japanese", "japan"})
_JAPAN_CJK = ("円", "日元", "日圆", "日圓", "日本")
# Written with 元 but not the yuan: removed before 元 counts as evidence for China.
_OTHER_YUAN = ("日元", "美元", "欧元", "歐元", "港元", "韩元", "韓元", "澳元", "加元", "台元")
_OTHER_DOLLAR_WORDS = frozenset(
    {"aud", "cad", "hkd", "nzd", "sgd", "twd", "mxn", "australian", "canadian", "pesos"}
    | {"peso", "zealand", "singapore", "taiwan", "hong", "mexican"}
)
_OTHER_DOLLAR_SIGNS = ("A$", "AU$", "C$", "CA$", "HK$", "NZ$", "S$", "NT$", "MX$", "R$")
# Spanish written in Latin America uses $ for the peso.
_PESO_REGIONS = frozenset({"mx", "ar", "co", "cl", "uy", "do", "cu", "419"})


def _words(text: str) -> set[str]:
    return {word.strip(".,;:()[]\"'").lower() for word in text.split()}


def resolve(currency: str, evidence: str, language: str) -> str | None:
    """The ISO code of a currency read from a value, or None when the evidence is unclear.

    ``evidence`` is the value, the item and the context joined; ``language`` is the
    episode's BCP-47 tag.
    """
    if currency == DOLLAR:
        words = _words(evidence)
        if words & _OTHER_DOLLAR_WORDS or any(sign in evidence for sign in _OTHER_DOLLAR_SIGNS):
            return None
        subtags = language.lower().replace("_", "-").split("-")
        if subtags[0] == "es" and len(subtags) > 1 and subtags[-1] in _PESO_REGIONS:
            return None
        return "USD"
    if currency == YEN_OR_YUAN:
        return _yen_or_yuan(evidence, language)
    return currency


def _yen_or_yuan(evidence: str, language: str) -> str | None:
    words = _words(evidence)
    japan = bool(words & _JAPAN_WORDS) or any(word in evidence for word in _JAPAN_CJK)
    china_text = evidence
    for other in _OTHER_YUAN:
        china_text = china_text.replace(other, "")
    china = bool(words & _CHINA_WORDS) or any(word in china_text for word in _CHINA_CJK)
    if japan and china:
        return None
    if japan:
        return "JPY"
    if china:
        return "CNY"
    primary = language.split("-")[0].lower()
    return {"zh": "CNY", "ja": "JPY"}.get(primary)
