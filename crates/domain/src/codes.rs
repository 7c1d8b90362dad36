//! Enumerations stored and sent as stable snake_case codes.

/// Declares an enum whose values are stable codes, with `ALL`, `as_str` and `parse`.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in the order they are offered.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses the stable code.
            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub(crate) use code_enum;
