"""DefaultExtractor: every generic layer, for any shop."""
from features.garments.extractors.app_state import read_app_state
from features.garments.extractors.base import BrandExtractor, Findings
from features.garments.extractors.bigcommerce import read_bigcommerce
from features.garments.extractors.html_heuristics import h1_title, read_html
from features.garments.extractors.meta_tags import read_meta, read_site
from features.garments.extractors.microdata import read_items
from features.garments.extractors.prestashop import read_prestashop
from features.garments.extractors.schema_org import read_products
from features.garments.extractors.size_chart import read_size_chart
from features.garments.extractors.woocommerce import read_woocommerce


class DefaultExtractor(BrandExtractor):
    """schema.org JSON-LD and microdata, embedded app state (WooCommerce, BigCommerce and PrestaShop state
    first), meta tags, then plain HTML."""

    name = "default"

    def read_layers(self, page, fetch_json=None):
        meta = read_meta(page)
        page_title = meta.get("title") or h1_title(page)
        json_ld = read_products(page.json_ld, page.base_url, page.url, page_title)
        microdata = read_products(read_items(page.tree), page.base_url, page.url, page_title)
        title_hint = json_ld.get("title") or microdata.get("title")
        app_state = read_app_state(page, title_hint)
        html = read_html(page, title_hint or app_state.get("title"))
        html["size_chart"] = read_size_chart(page.tree)
        return [
            Findings("json-ld", "json-ld", json_ld),
            Findings("microdata", "microdata", microdata),
            # Platform state before the generic search of embedded state: these readers know its shape.
            Findings("app-state", "woocommerce", read_woocommerce(page)),
            Findings("app-state", "bigcommerce", read_bigcommerce(page)),
            Findings("app-state", "prestashop", read_prestashop(page)),
            Findings("app-state", "app-state", app_state),
            Findings("meta", "meta", meta),
            Findings("html", "html", html),
            Findings("site", "site", read_site(page)),
        ]
