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
    let data = serde_json::to_vec(doc).map_err(|e| PdfError(e.to_string()))?;
    let world = DocWorld { source: Source::new(SHARED.main, TEMPLATE.to_owned()), data: Bytes::new(data), today: None };
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
}
