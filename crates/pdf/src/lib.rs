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
    /// A signature line: a role on the left, a name on the right.
    Signature {
        /// Who signs (a position).
        role: String,
        /// The name.
        name: String,
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

/// Typesets a document to PDF bytes.
pub fn render(doc: &Doc) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(doc).map_err(|e| PdfError(e.to_string()))?;
    let world = DocWorld { source: Source::new(SHARED.main, TEMPLATE.to_owned()), data: Bytes::new(data), today: None };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let result = match compiled {
        Ok(document) => {
            typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| PdfError(format!("{e:?}")))
        }
        Err(errors) => Err(PdfError(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))),
    };
    // Each document's data differ: keep typst's memo caches from growing without end.
    comemo::evict(4);
    result
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
                Block::Signature { role: "Үйлестіруші".into(), name: "А. Сейітова".into() },
            ],
            footer: "Мектепке жол".into(),
            landscape: false,
        };
        let bytes = render(&doc).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() > 1000);
        if let Ok(out) = std::env::var("PDF_SAMPLE") {
            std::fs::write(out, &bytes).unwrap();
        }
    }
}
