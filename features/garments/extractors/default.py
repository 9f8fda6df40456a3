"""DefaultExtractor: every generic layer, for any shop."""

from features.garments.extractors.app_state import read_app_state
from features.garments.extractors.base import BrandExtractor, Findings, isolated
from features.garments.extractors.bigcommerce import read_bigcommerce
from features.garments.extractors.data_layer import read_data_layer
from features.garments.extractors.html_heuristics import h1_title, read_html
from features.garments.extractors.magento import read_magento
from features.garments.extractors.meta_tags import read_meta, read_site
from features.garments.extractors.microdata import read_items, stray_codes
from features.garments.extractors.prestashop import read_prestashop
from features.garments.extractors.schema_org import PageIdentity, read_products
from features.garments.extractors.size_chart import read_size_chart
from features.garments.extractors.url_code import read_url
from features.garments.extractors.values import clean_text, parse_identifier
from features.garments.extractors.woocommerce import read_woocommerce


class DefaultExtractor(BrandExtractor):
    """schema.org JSON-LD and microdata, embedded app state (WooCommerce, BigCommerce, PrestaShop and Magento state
    first), meta tags, plain HTML, the shop's own name, the product its analytics report and the code in the page's
    URL."""

    name = "default"

    def read_layers(self, page, fetch_json=None):
        meta = isolated(page, "meta", lambda: read_meta(page))
        heading = isolated(page, "html", lambda: h1_title(page), "")
        page_title = meta.get("title") or heading
        identity = PageIdentity(
            names=tuple(
                filter(None, (clean_text(page.tree.findtext(".//title")), meta.get("title"), heading))
            ),
            addresses=tuple(filter(None, (page.url, meta.get("canonical_url"), page.meta_value("og:url")))),
            images=tuple(meta.get("images") or ()),
        )
        json_ld = isolated(
            page,
            "json-ld",
            lambda: read_products(
                page.json_ld, page.base_url, page.url, page_title, page.selection, identity
            ),
        )
        microdata = isolated(
            page,
            "microdata",
            lambda: read_products(
                read_items(page.tree), page.base_url, page.url, page_title, page.selection, identity
            ),
        )
        if not microdata.get("sku"):
            stray = isolated(page, "microdata-codes", lambda: stray_codes(page))
            microdata = {**microdata, **{field: parse_identifier(value) for field, value in stray.items()}}
        title_hint = json_ld.get("title") or microdata.get("title")
        app_state = isolated(page, "app-state", lambda: read_app_state(page, title_hint))
        html = isolated(page, "html", lambda: read_html(page, title_hint or app_state.get("title")))
        size_chart = isolated(page, "size-chart", lambda: read_size_chart(page.tree))
        findings = [
            Findings("json-ld", "json-ld", json_ld),
            Findings("microdata", "microdata", microdata),
            # Platform state before the generic search of embedded state: these readers know its shape.
            Findings(
                "app-state", "woocommerce", isolated(page, "woocommerce", lambda: read_woocommerce(page))
            ),
            Findings(
                "app-state", "bigcommerce", isolated(page, "bigcommerce", lambda: read_bigcommerce(page))
            ),
            Findings("app-state", "prestashop", isolated(page, "prestashop", lambda: read_prestashop(page))),
            Findings("app-state", "magento", isolated(page, "magento", lambda: read_magento(page))),
            Findings("app-state", "app-state", app_state),
            Findings("meta", "meta", meta),
            Findings("html", "html", {**html, "size_chart": size_chart or None}),
            Findings(
                "analytics",
                "data-layer",
                isolated(page, "data-layer", lambda: read_data_layer(page, (title_hint, page_title))),
            ),
            Findings("url", "url", isolated(page, "url", lambda: read_url(page))),
        ]
        # The shop's own name is a brand of last resort: read only when no layer names one.
        if not any(finding.fields.get("brand") for finding in findings):
            findings.append(Findings("site", "site", isolated(page, "site", lambda: read_site(page))))
        return findings
