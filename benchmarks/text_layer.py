#!/usr/bin/env python3
"""How much of each language's text comes back out of a WeasyPrint PDF, without and with
typeset's exact text layer (typeset/render/pdf_text.py), and what the text layer costs.

For each sample paragraph below (one language, 25-40 words, one PDF per language) the script
renders the paragraph twice with WeasyPrint — "before": plain WeasyPrint; "after": inside
``exact_text_layer()`` — extracts the text with ``pdftotext`` (poppler, default reading-order
mode, UTF-8), and compares it with the source. It prints what it compares and how, then a table.

    . .venv/bin/activate
    python benchmarks/text_layer.py                 # all languages, 3 timed renders each
    python benchmarks/text_layer.py -l hi -l bn     # some languages
    python benchmarks/text_layer.py --runs 5 --keep /tmp/pdfs   # keep the PDFs
    python benchmarks/text_layer.py --readers       # also PyMuPDF, pdfminer.six, pypdf if installed

Fonts: each sample names Noto files in order of preference, the Serif faces typeset bundles
first, then Sans; each name is looked for in the bundled ``fonts/`` folder, then in
/usr/share/fonts. The files used are printed under the table; a language whose fonts are found
nowhere is reported as skipped.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FONT_DIRS = (
    REPO / "fonts",
    Path("/usr/share/fonts"),
)
LATIN_FONTS = ("NotoSerif-Regular.ttf", "NotoSans-Regular.ttf")


@dataclass(frozen=True)
class Sample:
    code: str
    name: str
    fonts: tuple[str, ...]  # Noto file names, first found in FONT_DIRS wins
    text: str
    direction: str = "ltr"
    units: str = "words"  # "words": white-space separated; "clauses": see UNITS below


SAMPLES = (
    Sample("hi", "Hindi", ("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"),
           "दुनिया भर के श्रमिकों की अंतरराष्ट्रीय एकजुटता आज पहले से कहीं अधिक ज़रूरी है। हम सभी "
           "देशों के मज़दूरों से अपील करते हैं कि वे न्यायपूर्ण वेतन, सुरक्षित कार्यस्थल और संगठित होने के "
           "अधिकार के लिए मिलकर संघर्ष करें। क्रांतिकारी विप्लव की स्मृति हमें प्रेरित करती है।"),
    Sample("bn", "Bengali", ("NotoSerifBengali-Regular.ttf", "NotoSansBengali-Regular.ttf"),
           "বিশ্বের সকল শ্রমিকদের আন্তর্জাতিক সংহতি আজ আগের চেয়ে অনেক বেশি প্রয়োজন। আমরা প্রতিটি "
           "দেশের মজুরদের আহ্বান জানাই, ন্যায্য মজুরি, নিরাপদ কর্মক্ষেত্র এবং সংগঠিত হওয়ার অধিকারের "
           "জন্য একসাথে লড়াই করুন। শ্রমিকদের ঐক্যই আমাদের শক্তি।"),
    Sample("ta", "Tamil", ("NotoSerifTamil-Regular.ttf", "NotoSansTamil-Regular.ttf"),
           "உலகெங்கும் உள்ள தொழிலாளர்களின் சர்வதேச ஒற்றுமை இன்று முன்பை விட மிகவும் அவசியமானது. "
           "நியாயமான ஊதியம், பாதுகாப்பான பணியிடம் மற்றும் சங்கம் அமைக்கும் உரிமைக்காக அனைத்து "
           "நாடுகளின் தொழிலாளர்களும் ஒன்றிணைந்து போராட வேண்டும் என்று நாங்கள் அழைப்பு விடுக்கிறோம்."),
    Sample("si", "Sinhala", ("NotoSerifSinhala-Regular.ttf", "NotoSansSinhala-Regular.ttf"),
           "ලොව පුරා සිටින කම්කරුවන්ගේ ජාත්‍යන්තර සහයෝගීතාව අද පෙරට වඩා අත්‍යවශ්‍ය වේ. සාධාරණ "
           "වැටුප්, ආරක්ෂිත සේවා ස්ථාන සහ සංවිධානය වීමේ අයිතිය සඳහා එක්ව සටන් කරන ලෙස අපි සියලු "
           "රටවල කම්කරුවන්ගෙන් ඉල්ලා සිටිමු."),
    Sample("th", "Thai", ("NotoSerifThai-Regular.ttf", "NotoSansThai-Regular.ttf"),
           "ความสามัคคีระหว่างประเทศของคนงานทั่วโลกมีความจำเป็นในวันนี้มากกว่าที่เคยเป็นมา "
           "เราขอเรียกร้องให้คนงานในทุกประเทศร่วมกันต่อสู้เพื่อค่าจ้างที่เป็นธรรม สถานที่ทำงานที่ปลอดภัย "
           "และสิทธิในการรวมตัวกันเป็นสหภาพแรงงาน ความสำเร็จของเราขึ้นอยู่กับความสามัคคี",
           units="clauses"),
    Sample("ar", "Arabic", ("NotoNaskhArabic-Regular.ttf",),
           "إن التضامن الدولي بين العمال في جميع أنحاء العالم أصبح اليوم أكثر ضرورة من أي وقت مضى. "
           "ندعو العمال في كل البلدان إلى النضال معاً من أجل أجور عادلة وأماكن عمل آمنة والحق في "
           "التنظيم النقابي.", direction="rtl"),
    Sample("fa", "Persian", ("NotoNaskhArabic-Regular.ttf",),
           "همبستگی بین‌المللی کارگران سراسر جهان امروز بیش از هر زمان دیگری ضروری است. ما از "
           "کارگران همه کشورها می‌خواهیم که برای دستمزد عادلانه، محیط کار امن و حق تشکیل اتحادیه "
           "با هم مبارزه کنند.", direction="rtl"),
    Sample("ur", "Urdu", ("NotoNastaliqUrdu-Regular.ttf",),
           "دنیا بھر کے مزدوروں کی بین الاقوامی یکجہتی آج پہلے سے کہیں زیادہ ضروری ہے۔ ہم تمام "
           "ممالک کے مزدوروں سے اپیل کرتے ہیں کہ وہ منصفانہ اجرت، محفوظ کام کی جگہ اور یونین بنانے کے "
           "حق کے لیے مل کر جدوجہد کریں۔", direction="rtl"),
    Sample("ur-naskh", "Urdu Naskh", ("NotoNaskhArabic-Regular.ttf",),
           "دنیا بھر کے مزدوروں کی بین الاقوامی یکجہتی آج پہلے سے کہیں زیادہ ضروری ہے۔ ہم تمام "
           "ممالک کے مزدوروں سے اپیل کرتے ہیں کہ وہ منصفانہ اجرت، محفوظ کام کی جگہ اور یونین بنانے کے "
           "حق کے لیے مل کر جدوجہد کریں۔", direction="rtl"),
    Sample("he", "Hebrew", ("NotoSerifHebrew-Regular.ttf", "NotoSansHebrew-Regular.ttf"),
           "הסולידריות הבינלאומית של העובדים בכל רחבי העולם חשובה היום יותר מאי פעם. אנו קוראים "
           "לעובדים בכל המדינות להיאבק יחד למען שכר הוגן, מקומות עבודה בטוחים והזכות להתארגן "
           "באיגודים מקצועיים.", direction="rtl"),
    Sample("el", "Greek", LATIN_FONTS,
           "Η διεθνής αλληλεγγύη των εργαζομένων σε όλο τον κόσμο είναι σήμερα πιο αναγκαία από "
           "ποτέ. Καλούμε τους εργαζόμενους όλων των χωρών να αγωνιστούν μαζί για δίκαιους μισθούς, "
           "ασφαλείς χώρους εργασίας και το δικαίωμα στην οργάνωση."),
    Sample("ru", "Russian", LATIN_FONTS,
           "Международная солидарность трудящихся всего мира сегодня нужна как никогда. Мы "
           "призываем рабочих всех стран вместе бороться за справедливую заработную плату, "
           "безопасные рабочие места и право объединяться в профсоюзы, потому что наша сила — в "
           "единстве."),
    Sample("ka", "Georgian", ("NotoSerifGeorgian-Regular.ttf", "NotoSansGeorgian-Regular.ttf"),
           "მთელი მსოფლიოს მშრომელთა საერთაშორისო სოლიდარობა დღეს უფრო აუცილებელია, ვიდრე "
           "ოდესმე. ჩვენ მოვუწოდებთ ყველა ქვეყნის მუშებს, ერთად იბრძოლონ სამართლიანი "
           "ხელფასისთვის, უსაფრთხო სამუშაო ადგილებისა და პროფკავშირებში გაერთიანების უფლებისთვის."),
    Sample("hy", "Armenian", ("NotoSerifArmenian-Regular.ttf", "NotoSansArmenian-Regular.ttf"),
           "Ամբողջ աշխարհի աշխատավորների միջազգային համերաշխությունն այսօր առավել քան երբևէ "
           "անհրաժեշտ է։ Մենք կոչ ենք անում բոլոր երկրների բանվորներին միասին պայքարել արդար "
           "աշխատավարձի, անվտանգ աշխատատեղերի և արհմիություններում միավորվելու իրավունքի համար։"),
    Sample("am", "Amharic", ("NotoSerifEthiopic-Regular.ttf", "NotoSansEthiopic-Regular.ttf"),
           "የዓለም ሠራተኞች ዓለም አቀፍ አንድነት ዛሬ ከመቼውም ጊዜ በላይ አስፈላጊ ነው። የሁሉም አገሮች ሠራተኞች "
           "ለፍትሃዊ ደመወዝ፣ ለአስተማማኝ የሥራ ቦታ እና በማኅበር የመደራጀት መብት በአንድነት እንዲታገሉ ጥሪ "
           "እናቀርባለን። አንድነታችን ኃይላችን ነው።"),
    Sample("zh", "Chinese", ("NotoSerifCJKsc-Regular.otf", "NotoSansCJK-Regular.ttc"),
           "全世界劳动者的国际团结在今天比以往任何时候都更加重要。我们呼吁各国工人团结起来，为公平的工资、"
           "安全的工作场所以及组织工会的权利而共同斗争。劳动者的权利就是人权，任何国家都不应该压制工人的声音。",
           units="clauses"),
    Sample("ja", "Japanese", ("NotoSerifCJKjp-Regular.otf", "NotoSansCJK-Regular.ttc"),
           "世界中の労働者の国際的な連帯は、今日これまで以上に必要とされています。私たちはすべての国の"
           "労働者に対し、公正な賃金、安全な職場、そして労働組合を結成する権利のために共に闘うよう"
           "呼びかけます。労働者の権利は人権です。",
           units="clauses"),
    Sample("ko", "Korean", ("NotoSerifCJKkr-Regular.otf", "NotoSansCJK-Regular.ttc"),
           "전 세계 노동자들의 국제적 연대는 오늘날 그 어느 때보다 절실합니다. 우리는 모든 나라의 "
           "노동자들이 공정한 임금과 안전한 일터, 그리고 노동조합을 결성할 권리를 위해 함께 싸울 것을 "
           "호소합니다. 노동자의 권리는 곧 인권입니다."),
    Sample("vi", "Vietnamese", LATIN_FONTS,
           "Tình đoàn kết quốc tế của người lao động trên toàn thế giới ngày nay cần thiết hơn bao "
           "giờ hết. Chúng tôi kêu gọi công nhân ở mọi quốc gia cùng nhau đấu tranh vì mức lương "
           "công bằng, nơi làm việc an toàn và quyền thành lập công đoàn."),
    Sample("tr", "Turkish", LATIN_FONTS,
           "Dünyanın dört bir yanındaki işçilerin uluslararası dayanışması bugün her zamankinden "
           "daha gerekli. Tüm ülkelerin işçilerini adil ücretler, güvenli işyerleri ve sendika "
           "kurma hakkı için birlikte mücadele etmeye çağırıyoruz. Birlik içinde güçlüyüz."),
)

ENGLISH = Sample(
    "en", "English", LATIN_FONTS,
    "The international solidarity of working people across the world is more necessary today than "
    "ever before. We call on the workers of every country to fight together for fair wages, safe "
    "workplaces and the right to organise, and we send our greetings to the comrades in prison.")

# Long documents for the cost: (label, sample, paragraphs)
SAMPLE = {sample.code: sample for sample in SAMPLES}
LONG = (("English x80", ENGLISH, 80), ("Hindi x80", SAMPLE["hi"], 80), ("Chinese x40", SAMPLE["zh"], 40))

DEFINITIONS = """\
How the text is compared (both sides):
  normalise = Unicode NFC; remove the bidi controls pdftotext wraps around right-to-left lines
              (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F); every run of white space -> one space.
  words     = white-space separated tokens of the normalised source (punctuation stays attached).
              A word is RECOVERED if it equals a token of the normalised extracted text, matched in
              order (greedy: after a hit the search goes on after that token); a word that the
              layout broke across two lines (Korean breaks between syllables) counts when the last
              token of one line and the first of the next spell it. A word split by a stray space,
              or with a character lost, added or moved, does not count.
  clauses   = for Chinese, Japanese and Thai, which do not separate words with spaces: the source is
              cut after each 。，、；：！？ and at each space (Thai separates phrases with spaces);
              a clause is RECOVERED if it occurs, in order, in the extracted text with all white
              space removed (line ends fall between characters of these scripts).
  exact     = the extracted text equals the source: for word languages every word recovered in
              order and no extra token; for clause languages the normalised strings are equal once
              all white space is removed.
  size      = bytes of the PDF (compressed, fonts subset as WeasyPrint does by default).
  time      = median of the timed renders of HTML -> PDF bytes (parse, lay out, draw, write), per
              language; renders without and with the text layer alternate, after a warm-up of each.
  spans     = ActualText marked-content sequences written (0: the PDF is byte for byte WeasyPrint's).
"""

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
CLAUSE_END = re.compile(r"(?<=[。，、；：！？])|\s+")


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS).split())


def units(sample: Sample) -> list[str]:
    text = normalise(sample.text)
    if sample.units == "clauses":
        return [u for u in CLAUSE_END.split(text) if u]
    return text.split()


def line_tokens(extracted: str) -> list[tuple[str, bool]]:
    """The normalised words of the extracted text, each with whether it ends a line."""
    tokens = []
    for line in extracted.splitlines():
        words = normalise(line).split()
        tokens.extend((word, index == len(words) - 1) for index, word in enumerate(words))
    return tokens


def _match(word: str, tokens: list[tuple[str, bool]], index: int) -> int:
    """How many tokens from ``index`` spell ``word``: 1, 2 (split at a line end) or 0."""
    token, ends_line = tokens[index]
    if token == word:
        return 1
    if ends_line and index + 1 < len(tokens) and token + tokens[index + 1][0] == word:
        return 2
    return 0


def recovered(sample: Sample, extracted: str) -> int:
    if sample.units == "clauses":
        haystack = "".join(normalise(extracted).split())
        found = position = 0
        for unit in units(sample):
            index = haystack.find(unit, position)
            if index >= 0:
                found += 1
                position = index + len(unit)
        return found
    tokens = line_tokens(extracted)
    found = position = 0
    for word in units(sample):
        for index in range(position, len(tokens)):
            taken = _match(word, tokens, index)
            if taken:
                found += 1
                position = index + taken
                break
    return found


def exact(sample: Sample, extracted: str) -> bool:
    if sample.units == "clauses":
        return "".join(normalise(sample.text).split()) == "".join(normalise(extracted).split())
    tokens = line_tokens(extracted)
    position = 0
    for word in units(sample):
        taken = _match(word, tokens, position) if position < len(tokens) else 0
        if not taken:
            return False
        position += taken
    return position == len(tokens)


def find_font(names: tuple[str, ...]) -> Path | None:
    """The first of ``names`` found, looking in each of FONT_DIRS in turn (the bundled fonts first)."""
    for name in names:
        for folder in FONT_DIRS:
            if folder.is_dir():
                for path in sorted(folder.rglob(name)):
                    return path
    return None


def html_for(sample: Sample, font: Path, latin: Path, paragraphs: int = 1) -> str:
    return f"""<!DOCTYPE html><html lang="{sample.code}"><head><meta charset="utf-8"><style>
@font-face {{ font-family: 'Sample'; src: url('{font.as_uri()}'); }}
@font-face {{ font-family: 'Sample Latin'; src: url('{latin.as_uri()}'); }}
@page {{ size: A4; margin: 2cm; }}
body {{ font-family: 'Sample', 'Sample Latin'; font-size: 12pt; line-height: 1.6; }}
</style></head><body>{f'<p dir="{sample.direction}">{sample.text}</p>' * paragraphs}</body></html>"""


def render(html: str, text_layer: bool) -> tuple[bytes, float, int]:
    from weasyprint import HTML

    from typeset.render.pdf_text import exact_text_layer

    output = io.BytesIO()
    start = time.perf_counter()
    if text_layer:
        with exact_text_layer() as stats:
            HTML(string=html, base_url=str(REPO)).write_pdf(output)
        spans = stats.spans
        if stats.unmatched_lines:
            print(f"  warning: {stats.unmatched_lines} lines left unannotated", file=sys.stderr)
    else:
        HTML(string=html, base_url=str(REPO)).write_pdf(output)
        spans = 0
    return output.getvalue(), time.perf_counter() - start, spans


def measure(html: str, runs: int) -> dict[bool, float]:
    """Median render time without (False) and with (True) the text layer: one untimed warm-up
    render of each, then ``runs`` rounds that alternate the two, so that load from other
    processes falls on both alike."""
    render(html, False)
    render(html, True)
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for layer in (False, True):
            times[layer].append(render(html, layer)[1])
    return {layer: statistics.median(values) for layer, values in times.items()}


def pdftotext(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                            check=True, timeout=60)
    return result.stdout.decode("utf-8")


def pdfinfo_pages(pdf: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
    return int(match.group(1)) if match else 0


def other_readers() -> dict[str, object]:
    """Optional extractors, for the limits section: name -> function(pdf bytes) -> text."""
    readers: dict[str, object] = {}
    try:
        import pymupdf  # type: ignore[import-not-found]

        readers["PyMuPDF"] = lambda pdf: "".join(page.get_text() for page in pymupdf.open(stream=pdf))
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        readers["pdfminer.six"] = lambda pdf: extract_text(io.BytesIO(pdf))
    except ImportError:
        pass
    try:
        from pypdf import PdfReader

        readers["pypdf"] = lambda pdf: "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        pass
    return readers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-l", "--language", action="append", help="language code (repeatable); default: all")
    parser.add_argument("--runs", type=int, default=3,
                        help="timed renders per language and variant, alternating the two (median; default 3)")
    parser.add_argument("--keep", type=Path, help="write the PDFs to this folder")
    parser.add_argument("--readers", action="store_true",
                        help="also score PyMuPDF, pdfminer.six and pypdf (those installed) on both PDFs")
    parser.add_argument("--no-long", action="store_true", help="skip the long documents (cost section)")
    parser.add_argument("--show", action="store_true", help="print the extracted text of mismatches")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not shutil.which("pdftotext"):
        print("pdftotext (poppler-utils) is required", file=sys.stderr)
        return 2

    import weasyprint

    samples = [s for s in SAMPLES if not args.language or s.code in args.language]
    latin = find_font(LATIN_FONTS)
    if latin is None:
        print(f"none of {LATIN_FONTS} found in {', '.join(map(str, FONT_DIRS))}", file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    readers = other_readers() if args.readers else {}

    print(f"WeasyPrint {weasyprint.__version__}; "
          f"{subprocess.run(['pdftotext', '-v'], capture_output=True, text=True, check=False).stderr.splitlines()[0]}; "
          f"{args.runs} timed renders per cell (median; with/without alternate), after an untimed warm-up; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(DEFINITIONS)
    header = (f"{'language':<11} {'units':>11} {'recovered before':>17} {'recovered after':>16} "
              f"{'exact b/a':>9} {'spans':>6} {'size before':>12} {'size after':>11} {'Δsize':>7} "
              f"{'time before':>12} {'time after':>11} {'Δtime':>7}")
    print(header)
    print("-" * len(header))
    totals = {"units": 0, "before": 0, "after": 0, "size0": 0, "size1": 0, "time0": 0.0, "time1": 0.0}
    reader_rows: list[str] = []
    mismatches: list[str] = []
    used_fonts: list[str] = [f"Latin fallback: {latin}"]
    for sample in samples:
        font = find_font(sample.fonts)
        if font is None:
            print(f"{sample.name:<11} skipped: none of the fonts {', '.join(sample.fonts)} found")
            continue
        used_fonts.append(f"{sample.name}: {font}")
        html = html_for(sample, font, latin)
        results = {}
        timings = measure(html, args.runs)
        for layer in (False, True):
            pdf, _, spans = render(html, layer)  # the PDF that is scored
            text = pdftotext(pdf)
            results[layer] = (pdf, timings[layer], spans, text)
            if args.keep:
                (args.keep / f"{sample.code}-{'after' if layer else 'before'}.pdf").write_bytes(pdf)
            if args.show and not exact(sample, text):
                mismatches.append(f"{sample.name} {'after' if layer else 'before'}:\n  source: "
                                  f"{normalise(sample.text)}\n  pdftext: {normalise(text)}")
        (pdf0, t0, _, text0), (pdf1, t1, spans, text1) = results[False], results[True]
        n = len(units(sample))
        r0, r1 = recovered(sample, text0), recovered(sample, text1)
        e = f"{'yes' if exact(sample, text0) else 'no'}/{'yes' if exact(sample, text1) else 'no'}"
        print(f"{sample.name:<11} {n:>4} {sample.units:<6} {r0:>10} ({r0 / n:4.0%}) {r1:>9} ({r1 / n:4.0%}) "
              f"{e:>9} {spans:>6} {len(pdf0):>12,} {len(pdf1):>11,} {len(pdf1) / len(pdf0) - 1:>+7.1%} "
              f"{t0 * 1000:>10.0f}ms {t1 * 1000:>9.0f}ms {t1 / t0 - 1:>+7.1%}")
        totals["units"] += n
        totals["before"] += r0
        totals["after"] += r1
        totals["size0"] += len(pdf0)
        totals["size1"] += len(pdf1)
        totals["time0"] += t0
        totals["time1"] += t1
        for name, read in readers.items():
            try:
                s0, s1 = recovered(sample, read(pdf0)), recovered(sample, read(pdf1))  # type: ignore[operator]
                x0, x1 = exact(sample, read(pdf0)), exact(sample, read(pdf1))  # type: ignore[operator]
                reader_rows.append(f"{sample.name:<11} {name:<13} {s0:>3}/{n:<3} -> {s1:>3}/{n:<3} "
                                   f"exact {'yes' if x0 else 'no'}/{'yes' if x1 else 'no'}")
            except Exception as error:  # noqa: BLE001 - a reader crashing is a result too
                reader_rows.append(f"{sample.name:<11} {name:<13} failed: {error!r:.80}")
    if totals["units"]:
        print("-" * len(header))
        print(f"{'all':<11} {totals['units']:>4} units  {totals['before']:>10} "
              f"({totals['before'] / totals['units']:4.0%}) {totals['after']:>9} "
              f"({totals['after'] / totals['units']:4.0%}) {'':>9} {'':>6} {totals['size0']:>12,} "
              f"{totals['size1']:>11,} {totals['size1'] / totals['size0'] - 1:>+7.1%} "
              f"{totals['time0'] * 1000:>10.0f}ms {totals['time1'] * 1000:>9.0f}ms "
              f"{totals['time1'] / totals['time0'] - 1:>+7.1%}")
    if reader_rows:
        print("\nOther readers (recovered before -> after, same definitions):")
        print("\n".join(reader_rows))
    if not args.no_long:
        print("\nCost on long documents (same measures; pages from pdfinfo):")
        print(f"{'document':<12} {'pages':>5} {'spans':>6} {'size before':>12} {'size after':>11} {'Δsize':>7} "
              f"{'time before':>12} {'time after':>11} {'Δtime':>7} {'same text b/a':>14}")
        for label, sample, paragraphs in LONG:
            font = find_font(sample.fonts)
            if font is None:
                print(f"{label:<12} skipped: none of the fonts {', '.join(sample.fonts)} found")
                continue
            html = html_for(sample, font, latin, paragraphs)
            cells = {}
            timings = measure(html, args.runs)
            for layer in (False, True):
                pdf, _, spans = render(html, layer)
                cells[layer] = (pdf, timings[layer], spans)
            (pdf0, t0, _), (pdf1, t1, spans) = cells[False], cells[True]
            pages = pdfinfo_pages(pdf1)
            same = pdftotext(pdf0) == pdftotext(pdf1)
            print(f"{label:<12} {pages:>5} {spans:>6} {len(pdf0):>12,} {len(pdf1):>11,} "
                  f"{len(pdf1) / len(pdf0) - 1:>+7.1%} {t0 * 1000:>10.0f}ms {t1 * 1000:>9.0f}ms "
                  f"{t1 / t0 - 1:>+7.1%} {'yes' if same else 'no':>14}")
    print("\nFonts:\n  " + "\n  ".join(used_fonts))
    if mismatches:
        print("\nMismatches:")
        print("\n".join(mismatches))
    return 0


if __name__ == "__main__":
    sys.exit(main())
