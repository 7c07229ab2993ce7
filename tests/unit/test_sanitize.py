"""The sanitising policy: scripts and dangerous URLs go, structure stays, the result is valid HTML."""

from municms.sanitize import sanitise_html


def test_script_and_javascript_url_removed_leaving_a_valid_anchor():
    assert sanitise_html('<p>a<script>alert(1)</script><a href="javascript:alert(1)">b</a></p>') == "<p>a<a>b</a></p>"


def test_event_handlers_styles_and_frames_removed():
    html = '<p onclick="x()" style="color:red">t</p><iframe src="https://x.example"></iframe><style>p{}</style>'
    assert sanitise_html(html) == "<p>t</p>"


def test_links_tables_and_heading_anchors_kept():
    html = ('<h2 id="b-basvuru">Başvuru</h2><a href="https://www.turkiye.gov.tr/" title="e-Devlet">e-Devlet</a>'
            '<table><thead><tr><th>Ay</th></tr></thead><tbody><tr><td>Kasım</td></tr></tbody></table>')
    assert sanitise_html(html) == html


def test_target_blank_dropped_so_no_window_can_be_opened():
    assert sanitise_html('<a href="/iletisim/" target="_blank">İletişim</a>') == '<a href="/iletisim/">İletişim</a>'


def test_an_image_from_another_site_leaves_its_alt_text_not_an_img_without_src():
    from municms.sanitize import sanitise_html

    html = sanitise_html('<p>Harita: <img src="https://evil.example/x.png" alt="Güzergâh <b>"> '
                         '<img src="/theme/logo.png" alt="Logo"></p>')
    assert html == '<p>Harita: Güzergâh &lt;b&gt; <img src="/theme/logo.png" alt="Logo"></p>'
