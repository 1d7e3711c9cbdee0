"""Every word an exporter prints that does not come from the episode, per language.

The episode's ``language`` picks the labels and ``--lang`` overrides it. A
language without labels falls back to English; add one by adding a
``Labels(...)`` to ``LABELS``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from briefing.values import HorizonClass


class Labels(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str
    # Masthead
    category: str
    duration: str
    minutes: str
    speakers: str
    language_label: str
    translations: str
    watch: str
    published: str
    # Sections, in the order every format prints them
    at_a_glance: str
    timeline: str
    contents: str
    takeaways: str
    segments: str
    claims: str
    predictions: str
    facts: str
    quotes: str
    technologies: str
    companies: str
    topics: str
    companies_and_topics: str
    # Columns and small words
    time: str
    title: str
    summary: str
    segment: str
    kind: str
    claim: str
    evidence: str
    horizon: str
    years: str
    horizon_class: str
    statement: str
    value: str
    number: str
    unit: str
    item: str
    amount: str
    currency: str
    context: str
    quote: str
    speaker: str
    term: str
    definition: str
    episode_id: str
    episode_title: str
    price: str
    prices: str
    count: str
    page_of: str
    """``{page}`` and ``{pages}`` are filled in: 'Page 3 of 9'."""
    truncated: str
    """Appended where a spreadsheet cell had to be cut; ``{chars}`` is the full length."""
    horizon_near: str
    horizon_medium: str
    horizon_long: str
    horizon_unspecified: str
    generated_by: str

    def horizon_name(self, horizon_class: HorizonClass) -> str:
        return getattr(self, f"horizon_{horizon_class}")

    def page(self, page: int, pages: int) -> str:
        return self.page_of.format(page=page, pages=pages)


ENGLISH = Labels(
    language="en",
    category="Category",
    duration="Duration",
    minutes="min",
    speakers="Speakers",
    language_label="Language",
    translations="Translations",
    watch="Watch",
    published="Published",
    at_a_glance="At a glance",
    timeline="Timeline",
    contents="Contents",
    takeaways="Takeaways",
    segments="Segments",
    claims="Claims",
    predictions="Predictions",
    facts="Facts and figures",
    quotes="Notable quotes",
    technologies="Key technologies",
    companies="Companies",
    topics="Topics",
    companies_and_topics="Companies and topics",
    time="Time",
    title="Title",
    summary="Summary",
    segment="Segment",
    kind="Kind",
    claim="Claim",
    evidence="Evidence",
    horizon="Horizon",
    years="Years",
    horizon_class="Class",
    statement="Statement",
    value="Value",
    number="Number",
    unit="Unit",
    item="Item",
    amount="Amount",
    currency="Currency",
    context="Context",
    quote="Quote",
    speaker="Speaker",
    term="Term",
    definition="Definition",
    episode_id="Episode",
    episode_title="Episode title",
    price="Price",
    prices="Prices",
    count="Count",
    page_of="Page {page} of {pages}",
    truncated=(
        "[cut at Excel's cell limit; full text of {chars:,} characters in the PDF and Word report]"
    ),
    horizon_near="near",
    horizon_medium="medium",
    horizon_long="long",
    horizon_unspecified="unspecified",
    generated_by="Made with briefing",
)

CHINESE = Labels(
    language="zh",
    category="类别",
    duration="时长",
    minutes="分钟",
    speakers="嘉宾",
    language_label="语言",
    translations="译文",
    watch="观看",
    published="发布日期",
    at_a_glance="概览",
    timeline="时间线",
    contents="目录",
    takeaways="要点",
    segments="章节",
    claims="论断",
    predictions="预测",
    facts="事实与数据",
    quotes="精彩引语",
    technologies="关键技术",
    companies="提及的公司",
    topics="主题",
    companies_and_topics="公司与主题",
    time="时间",
    title="标题",
    summary="摘要",
    segment="章节",
    kind="类型",
    claim="论断",
    evidence="依据",
    horizon="时间范围",
    years="年数",
    horizon_class="类别",
    statement="内容",
    value="数值",
    number="数字",
    unit="单位",
    item="项目",
    amount="金额",
    currency="货币",
    context="背景",
    quote="引语",
    speaker="发言人",
    term="术语",
    definition="定义",
    episode_id="节目",
    episode_title="节目标题",
    price="价格",
    prices="价格",
    count="数量",
    page_of="第 {page} 页，共 {pages} 页",
    truncated="[已在 Excel 单元格上限处截断；全文共 {chars:,} 个字符，见 PDF 与 Word 报告]",
    horizon_near="近期",
    horizon_medium="中期",
    horizon_long="长期",
    horizon_unspecified="未指明",
    generated_by="由 briefing 生成",
)

LABELS: dict[str, Labels] = {labels.language: labels for labels in (ENGLISH, CHINESE)}

# Shown for the episode's language and its translations.
LANGUAGE_NAMES = {
    "en": "English",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt": "Português",
    "it": "Italiano",
    "ru": "Русский",
    "ar": "العربية",
    "hi": "हिन्दी",
}


def language_name(tag: str) -> str:
    """``zh`` -> ``中文``; a tag we have no name for is shown as itself."""
    return LANGUAGE_NAMES.get(tag.split("-")[0].lower(), tag)


def labels_for(language: str) -> Labels:
    """Labels for a BCP-47 tag, by its primary subtag; English when we have none."""
    return LABELS.get(language.split("-")[0].lower(), ENGLISH)
