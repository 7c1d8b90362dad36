//! PDF documents typeset by typst, with DejaVu Sans embedded (it has every Kazakh letter —
//! ә ғ қ ң ө ұ ү һ і — and the tenge sign).
//!
//! A document is data, not markup: the caller gives a [`Doc`] of headings, paragraphs and
//! tables with its text already translated, and one typst template lays it out. The template
//! reads the data as JSON, so a sponsor called `#emph[x]` or `$` is printed as written and can
//! never run as typst code.

use std::sync::{LazyLock, Mutex};

use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("../templates/doc.typ");
const POSTER: &str = include_str!("../templates/poster.typ");
const FONTS: [&[u8]; 2] = [include_bytes!("../fonts/DejaVuSans.ttf"), include_bytes!("../fonts/DejaVuSans-Bold.ttf")];

/// A document: a title (the PDF's metadata and the first heading) and blocks in order.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// `ru` or `kk`: hyphenation and the document language.
    pub lang: String,
    /// The title.
    pub title: String,
    /// A line printed under the title (place and date, say); may be empty.
    pub subtitle: String,
    /// The content.
    pub blocks: Vec<Block>,
    /// A line at the foot of every page; may be empty.
    pub footer: String,
    /// Landscape pages (for wide tables).
    #[serde(default)]
    pub landscape: bool,
    /// The tighter layout (set by [`render`] when it saves a page).
    #[serde(default)]
    pub compact: bool,
}

/// One block of a document.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A section heading.
    Heading {
        /// Its text.
        text: String,
    },
    /// A paragraph.
    Para {
        /// Its text.
        text: String,
    },
    /// A table; numbers are given already formatted (`1 196 448 ₸`).
    Table {
        /// The header row.
        columns: Vec<String>,
        /// The body.
        rows: Vec<Vec<String>>,
        /// A bold last row (totals), if any.
        total: Option<Vec<String>>,
        /// Which columns are numbers (aligned right).
        numeric: Vec<bool>,
    },
    /// A signature line: a role on the left, a name on the right; small lines under it, kept on
    /// its page.
    Signature {
        /// Who signs (a position).
        role: String,
        /// The name.
        name: String,
        /// Lines under it (the stamp's place, who prepared the paper).
        #[serde(default)]
        after: Vec<String>,
    },
    /// The head of a letter: the sender's lines on the left, the addressee's on the right.
    Letterhead {
        /// The sender (name, address, outgoing number).
        sender: Vec<String>,
        /// To whom.
        addressee: Vec<String>,
    },
}

/// A school's poster (one A4 page): the campaign's name, the school, a QR code for each address
/// with its heading, a note and the address written out, and lines under them (the contacts).
#[derive(Debug, Clone, Serialize)]
pub struct Poster {
    /// `ru` or `kk`.
    pub lang: String,
    /// The campaign's name.
    pub title: String,
    /// The school.
    pub school: String,
    /// Its district and region; may be empty.
    pub place: String,
    /// The codes, side by side.
    pub codes: Vec<Code>,
    /// Lines under the codes (hotline, trust phone, reception).
    pub lines: Vec<String>,
    /// The foot of the page.
    pub footer: String,
}

/// One QR code of a poster.
#[derive(Debug, Clone, Serialize)]
pub struct Code {
    /// What scanning it does («Пройдите опрос»).
    pub heading: String,
    /// A line under the heading.
    pub note: String,
    /// The address the code holds (printed under it too).
    pub url: String,
}

/// What the poster template reads: each code drawn as SVG.
#[derive(Serialize)]
struct PosterData<'a> {
    #[serde(flatten)]
    poster: &'a Poster,
    codes: Vec<CodeData<'a>>,
}

#[derive(Serialize)]
struct CodeData<'a> {
    #[serde(flatten)]
    code: &'a Code,
    svg: String,
}

/// Typesets a poster to PDF bytes; the codes at error correction level M (a poster on a wall is
/// scanned through glare and smudges).
pub fn poster(p: &Poster) -> Result<Vec<u8>, PdfError> {
    let codes = p
        .codes
        .iter()
        .map(|code| {
            let qr = qrcode::QrCode::with_error_correction_level(code.url.as_bytes(), qrcode::EcLevel::M)
                .map_err(|e| PdfError(format!("QR code of {}: {e}", code.url)))?;
            let svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(400, 400).quiet_zone(true).build();
            Ok(CodeData { code, svg })
        })
        .collect::<Result<Vec<_>, PdfError>>()?;
    let data = serde_json::to_vec(&PosterData { poster: p, codes }).map_err(|e| PdfError(e.to_string()))?;
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let document = typeset(POSTER, data)?;
    let result = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError(format!("{e:?}")));
    comemo::evict(4);
    result
}

/// Typesetting failed: a fault in the template or the data, never the user's input.
#[derive(Debug, thiserror::Error)]
#[error("PDF: {0}")]
pub struct PdfError(String);

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    data: FileId,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONTS.iter().flat_map(|f| Font::iter(Bytes::new(*f))).collect();
    let path = |p: &str| {
        let vpath = VirtualPath::new(p).unwrap_or_else(|_| unreachable!("a fixed path"));
        RootedPath::new(VirtualRoot::Project, vpath).intern()
    };
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        main: path("/main.typ"),
        data: path("/data.json"),
        fonts,
    }
});

/// One typst compilation at a time: typst's caches are global, and a document takes tens of
/// milliseconds; callers run this on a blocking thread.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

struct DocWorld {
    source: Source,
    data: Bytes,
    today: Option<Datetime>,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }
    fn main(&self) -> FileId {
        SHARED.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == SHARED.main { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == SHARED.data {
            Ok(self.data.clone())
        } else if id == SHARED.main {
            Ok(Bytes::from_string(self.source.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Typesets a document to PDF bytes. A document that runs over a page is typeset again in the
/// tighter layout, which is kept when it takes fewer pages: a report whose signature would stand
/// alone on a last page fits on the page before.
pub fn render(doc: &Doc) -> Result<Vec<u8>, PdfError> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut document = compile(doc)?;
    if document.pages().len() > 1 && !doc.compact {
        let tighter = compile(&Doc { compact: true, ..doc.clone() })?;
        if tighter.pages().len() < document.pages().len() {
            document = tighter;
        }
    }
    let result = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError(format!("{e:?}")));
    // Each document's data differ: keep typst's memo caches from growing without end.
    comemo::evict(4);
    result
}

/// Lays a document out (the caller holds [`ONE_AT_A_TIME`]).
fn compile(doc: &Doc) -> Result<PagedDocument, PdfError> {
    typeset(TEMPLATE, serde_json::to_vec(doc).map_err(|e| PdfError(e.to_string()))?)
}

/// Lays out `template` over `data` (JSON); the caller holds [`ONE_AT_A_TIME`].
fn typeset(template: &str, data: Vec<u8>) -> Result<PagedDocument, PdfError> {
    let world = DocWorld { source: Source::new(SHARED.main, template.to_owned()), data: Bytes::new(data), today: None };
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| PdfError(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_letters_and_markup_are_printed_as_written() {
        let doc = Doc {
            lang: "kk".into(),
            title: "Алғыс хат".into(),
            subtitle: "Балқаш қ., 21.11.2026".into(),
            blocks: vec![
                Block::Para { text: "әғқңөұүһі ӘҒҚҢӨҰҮҺІ #emph[x] $y$ *z*".into() },
                Block::Table {
                    columns: vec!["Мектеп".into(), "Сома".into()],
                    rows: vec![vec!["№ 1 мектеп".into(), "1 196 448 ₸".into()]],
                    total: Some(vec!["Барлығы".into(), "1 196 448 ₸".into()]),
                    numeric: vec![false, true],
                },
                Block::Signature {
                    role: "Үйлестіруші".into(), name: "А. Сейітова".into(), after: vec!["М.О.".into()]
                },
                Block::Letterhead {
                    sender: vec!["№ 1 мектеп".into()], addressee: vec!["Білім бөліміне".into()]
                },
            ],
            footer: "Мектепке жол".into(),
            landscape: false,
            compact: false,
        };
        let bytes = render(&doc).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() > 1000);
        if let Ok(out) = std::env::var("PDF_SAMPLE") {
            std::fs::write(out, &bytes).unwrap();
        }
    }

    #[test]
    fn a_document_a_few_lines_over_a_page_is_set_tighter_on_one() {
        let doc = |n: usize| Doc {
            lang: "ru".into(),
            title: "Справка".into(),
            subtitle: String::new(),
            blocks: (0..n)
                .map(|i| Block::Para {
                    text: format!("{i}. Оказана материальная помощь учащимся из фонда всеобуча.")
                })
                .chain([Block::Signature {
                    role: "Директор".into(),
                    name: "Серікова А.".into(),
                    after: vec!["М.П.".into()],
                }])
                .collect(),
            footer: String::new(),
            landscape: false,
            compact: false,
        };
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let spills = (10..200).find(|n| compile(&doc(*n)).unwrap().pages().len() > 1).unwrap();
        assert_eq!(compile(&Doc { compact: true, ..doc(spills) }).unwrap().pages().len(), 1);
        drop(_one);
        let bytes = render(&doc(spills)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Count 1"), "one page");
        // A document much longer than a page keeps its normal layout.
        let long = render(&doc(spills * 3)).unwrap();
        assert!(!String::from_utf8_lossy(&long).contains("/Count 1"));
    }

    #[test]
    fn a_poster_is_one_page_with_its_codes_and_markup_printed_as_written() {
        let code = |heading: &str, url: &str| Code {
            heading: heading.into(),
            note: "Наведите камеру телефона на код и ответьте на короткий опрос.".into(),
            url: url.into(),
        };
        let p = Poster {
            lang: "kk".into(),
            title: "Мектепке жол".into(),
            school: "№ 1 мектеп #emph[x] $y$".into(),
            place: "Балқаш қаласы".into(),
            codes: vec![
                code("Готов ли ваш ребёнок к школе?", "http://doroga.kz/survey?school=1&qr=1"),
                code("Не получили помощь?", "http://doroga.kz/appeal?school=1&qr=1"),
            ],
            lines: vec!["Сенім телефоны: 8 7212 00 00 00".into(), "Контакт-центр 111".into()],
            footer: "Мектепке жол".into(),
        };
        let bytes = poster(&p).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(String::from_utf8_lossy(&bytes).contains("/Count 1"), "one page");
        if let Ok(out) = std::env::var("POSTER_SAMPLE") {
            std::fs::write(out, &bytes).unwrap();
        }
    }
}
