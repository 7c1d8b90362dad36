//! Search folds the Kazakh letters onto their Russian look-alikes (ә→а, ғ→г, қ→к, ң→н, ө→о,
//! ұ→у, ү→у, һ→х, і→и), as people type Kazakh names with Russian letters on a phone: the stored
//! search keys of children and org units, already lower case with ё→е, are folded the same way.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The Kazakh letters and the Russian letters they fold onto, as stored (lower case).
const FOLDS: [(&str, &str); 9] =
    [("ә", "а"), ("ғ", "г"), ("қ", "к"), ("ң", "н"), ("ө", "о"), ("ұ", "у"), ("ү", "у"), ("һ", "х"), ("і", "и")];

fn folded(column: &str) -> String {
    FOLDS.iter().fold(column.to_owned(), |inner, (from, to)| format!("replace({inner}, '{from}', '{to}')"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let value = folded("search_key");
        for table in ["children", "org_units"] {
            // Only the keys that change: most hold no Kazakh letter, and every update of a child
            // runs the running totals' triggers.
            m.get_connection()
                .execute_unprepared(&format!("UPDATE {table} SET search_key = {value} WHERE search_key <> {value}"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        // A folded key still finds what it found before (the search text is folded alike).
        Ok(())
    }
}
