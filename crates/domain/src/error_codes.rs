//! Every error code Doroga answers with: one enum of stable snake_case codes, sent in the API's
//! envelope, stored with an import's rows, and translated by the catalogues (`err-*` for a field,
//! `error-*` for a whole request). A test holds every code to a message in both languages.

use serde::{Deserialize, Serialize};

use crate::codes::code_enum;

code_enum!(
    /// A stable error code.
    ErrorCode {
        /// A required field is empty.
        Required = "required",
        /// Longer than the limit.
        TooLong = "too_long",
        /// Shorter than the least that can be looked for.
        TooShort = "too_short",
        /// A page that starts at a record no longer in the list.
        StaleCursor = "stale_cursor",
        /// Control characters in text.
        ControlChars = "control_chars",
        /// Not one of the offered values.
        InvalidChoice = "invalid_choice",
        /// A login of other characters or length.
        LoginFormat = "login_format",
        /// A password shorter than the policy.
        PasswordTooShort = "password_too_short",
        /// A password that contains the login.
        PasswordContainsLogin = "password_contains_login",
        /// A password that is easy to guess (a repeat, a sequence, a common password).
        PasswordWeak = "password_weak",
        /// The new password equals the old one.
        PasswordUnchanged = "password_unchanged",
        /// The two new passwords differ.
        PasswordMismatch = "password_mismatch",
        /// The current password is wrong.
        WrongPassword = "wrong_password",
        /// Taken already (a unique key).
        Duplicate = "duplicate",
        /// The same value twice in one file.
        DuplicateInFile = "duplicate_in_file",
        /// A unit that can have no units below it.
        NoChildrenHere = "no_children_here",
        /// The unit is inactive.
        Inactive = "inactive",
        /// The code of this unit cannot change.
        FixedCode = "fixed_code",
        /// The unit still has active units below it.
        HasActiveChildren = "has_active_children",
        /// No import into this kind of unit.
        ImportTarget = "import_target",
        /// A role the actor may not grant.
        CannotGrant = "cannot_grant",
        /// The role does not fit the unit's kind.
        RoleUnitMismatch = "role_unit_mismatch",
        /// One's own account cannot be disabled.
        CannotDisableSelf = "cannot_disable_self",
        /// A column of the template is missing.
        MissingColumn = "missing_column",
        /// The file has no rows.
        FileEmpty = "file_empty",
        /// An old `.xls` file.
        OldExcel = "old_excel",
        /// Not an XLSX or CSV file.
        NotSpreadsheet = "not_spreadsheet",
        /// The file is larger than the limit.
        FileTooLarge = "file_too_large",
        /// The workbook has no sheet.
        NoSheet = "no_sheet",
        /// Text not in UTF-8.
        Encoding = "encoding",
        /// More rows than one file may have.
        TooManyRows = "too_many_rows",
        /// Not a date.
        InvalidDate = "invalid_date",
        /// A period that ends before it starts.
        PeriodReversed = "period_reversed",
        /// Not a number.
        NotANumber = "not_a_number",
        /// An import whose server stopped before it finished (nothing of it was written).
        ImportInterrupted = "import_interrupted",
        /// A search by anything but a whole IIN, by a role that sees anonymised records.
        IinOnly = "iin_only",
        /// A filter by a personal detail, by a role that sees anonymised records.
        PersonalFilter = "personal_filter",
        /// A request body that is not the expected JSON.
        MalformedJson = "malformed_json",
        /// An IIN not of 12 digits.
        IinFormat = "iin_format",
        /// An IIN whose check digit is wrong.
        IinChecksum = "iin_checksum",
        /// An IIN whose birth date does not exist.
        IinBirthDate = "iin_birth_date",
        /// A BIN where an IIN is needed, or the other way round.
        BinType = "bin_type",
        /// A birth date other than the IIN's.
        BirthDateMismatch = "birth_date_mismatch",
        /// A grade outside 0–11.
        GradeRange = "grade_range",
        /// Not a phone number.
        PhoneFormat = "phone_format",
        /// A number out of range.
        NumberRange = "number_range",
        /// A date in the future.
        DateInFuture = "date_in_future",
        /// More items than allowed.
        TooMany = "too_many",
        /// Not an amount of money.
        AmountFormat = "amount_format",
        /// The IIN is registered in this campaign already.
        AlreadyRegistered = "already_registered",
        /// Not a school.
        NotASchool = "not_a_school",
        /// The status is that already.
        StatusUnchanged = "status_unchanged",
        /// The record is at this school already.
        AlreadyHere = "already_here",
        /// No campaign for the year (or none current).
        NoCampaign = "no_campaign",
        /// A year out of range.
        YearRange = "year_range",
        /// An import that failed for a reason of the server's.
        ImportFailed = "import_failed",
        /// An amount that must be positive.
        AmountPositive = "amount_positive",
        /// More than the fund has left.
        FundOverspent = "fund_overspent",
        /// The fund paid this child in this campaign already.
        FundPaidTwice = "fund_paid_twice",
        /// The school has no fund in this campaign.
        NoFund = "no_fund",
        /// A status move out of order.
        StatusOrder = "status_order",
        /// The entry was reversed.
        Reversed = "reversed",
        /// A reversal cannot be reversed.
        ReversalOfReversal = "reversal_of_reversal",
        /// The entry is reversed already.
        AlreadyReversed = "already_reversed",
        /// An allocation below what is spent.
        BelowSpent = "below_spent",
        /// A record of another campaign.
        OtherCampaign = "other_campaign",
        /// The need is taken already.
        NeedTaken = "need_taken",
        /// The hold has expired.
        ReservationExpired = "reservation_expired",
        /// The hold is not active.
        ReservationNotActive = "reservation_not_active",
        /// A delivery the school has already confirmed or declined (or that was never sent).
        DeliveryNotAwaiting = "delivery_not_awaiting",
        /// A record sent from a phone without the id the phone made for it.
        ClientIdFormat = "client_id_format",
        /// A pupil back at school before (or on) the first day it missed.
        ReturnBeforeAbsence = "return_before_absence",
        /// A phone's id already used for another record (another raid's, another account's).
        ClientIdTaken = "client_id_taken",
        /// A conflict already resolved.
        ConflictResolved = "conflict_resolved",
        /// An account that cannot be a raid's member (not a raid member, inactive, another region).
        NotRaidMember = "not_raid_member",
        /// A raid changed by someone else since the form was opened.
        StaleVersion = "stale_version",
        /// A pupil another school records as not attending.
        AbsentElsewhere = "absent_elsewhere",
        /// A case closed, or awaiting the district's signature.
        CaseNotOpen = "case_not_open",
        /// A case that does not await a signature.
        CaseNotSigning = "case_not_signing",
        /// The account that closed a case may not sign it as well.
        SignOwn = "sign_own",
        /// An owner who is not an active account of the school or above it.
        NotAnOwner = "not_an_owner",
        /// A day pupils are not expected at school (a weekend, a holiday).
        NotSchoolDay = "not_school_day",
        /// A BIN whose check digit is wrong.
        BinChecksum = "bin_checksum",
        /// More than the child's need without a reason.
        AboveNeed = "above_need",
        /// A proof for help other than cash.
        ProofCashOnly = "proof_cash_only",
        /// A proof for help not yet paid.
        ProofNotPaid = "proof_not_paid",
        /// The proof is decided already.
        ProofDecided = "proof_decided",
        /// The account that uploaded a proof may not decide on it.
        ProofOwn = "proof_own",
        /// A pupil's age on 1 September outside 5–21.
        AgeOutOfSchool = "age_out_of_school",
        /// An age more than two years off the grade's, not confirmed.
        AgeUnusual = "age_unusual",
        /// Not an e-mail address.
        EmailFormat = "email_format",
        /// Neither a phone nor an e-mail to answer by.
        ContactRequired = "contact_required",
        /// An accepted proof is needed first.
        ProofRequired = "proof_required",
        /// No file was sent.
        FileRequired = "file_required",
        /// A file of a type not accepted.
        FileType = "file_type",
        /// A proof larger than the limit.
        ProofTooLarge = "proof_too_large",
        /// A finding's photo larger than the limit.
        PhotoTooLarge = "photo_too_large",
        /// A finding's photo that is not a picture.
        PhotoType = "photo_type",
        /// A finding has as many photos as it may.
        TooManyPhotos = "too_many_photos",
        /// The sponsor is decided already.
        SponsorDecided = "sponsor_decided",
        /// Neither a phone nor an e-mail for an appeal's answer, and not anonymous.
        AppealContactRequired = "appeal_contact_required",
        /// An extension that does not reach past the present last day.
        ExtensionTooShort = "extension_too_short",
        /// An extension past two months from the appeal's receipt.
        ExtensionTooLong = "extension_too_long",
        /// An appeal extended already (once is the law's).
        AlreadyExtended = "already_extended",
        /// The appeal is answered or closed: nothing more to do on it but what follows the answer.
        AppealNotOpen = "appeal_not_open",
        /// The appeal is not answered (yet): closing and the applicant's feedback follow the answer.
        AppealNotAnswered = "appeal_not_answered",
        /// A forward to the unit that has it, or to a unit that takes no appeals.
        ForwardTarget = "forward_target",
        /// A survey answer asking for help without the family's consent.
        ConsentRequired = "consent_required",
        /// A lead that is not open any more.
        LeadNotOpen = "lead_not_open",
        /// No appeal with this tracking code.
        AppealCodeUnknown = "appeal_code_unknown",
        /// Not a tracking code (12 letters and digits).
        CodeFormat = "code_format",
        /// No child with this IIN in the registry within the actor's scope.
        ChildNotInRegistry = "child_not_in_registry",
        /// An assignee who does not work at the unit in charge.
        NotAnAssignee = "not_an_assignee",
        /// No such record (a whole request).
        NotFound = "not_found",
        /// The record lies outside the actor's scope (a whole request).
        NotInScope = "not_in_scope",
        /// The role does not allow it (a whole request).
        Forbidden = "forbidden",
        /// Not signed in (a whole request).
        Unauthorized = "unauthorized",
        /// The one-time password must be changed first (a whole request).
        PasswordChangeRequired = "password_change_required",
        /// The request body is larger than the limit (a whole request).
        PayloadTooLarge = "payload_too_large",
        /// Too many requests from this client (or under this login) for now (a whole request).
        TooManyRequests = "too_many_requests",
        /// Bad input, every problem listed (a whole request).
        Validation = "validation",
        /// Anything else, logged and not shown (a whole request).
        Internal = "internal",
    }
);

impl ErrorCode {
    /// The codes that describe a whole request rather than one field.
    pub const REQUEST: &'static [ErrorCode] = &[
        ErrorCode::NotFound,
        ErrorCode::NotInScope,
        ErrorCode::Forbidden,
        ErrorCode::Unauthorized,
        ErrorCode::PasswordChangeRequired,
        ErrorCode::PayloadTooLarge,
        ErrorCode::TooManyRequests,
        ErrorCode::Validation,
        ErrorCode::Internal,
    ];

    /// The catalogue key of the code's message: `err-…` for a field, `error-…` for a request.
    pub fn message_key(self) -> String {
        let prefix = if Self::REQUEST.contains(&self) { "error" } else { "err" };
        format!("{prefix}-{}", self.as_str().replace('_', "-"))
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn codes_read_back_as_they_were_written() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str(), "serde writes the same code");
        }
        assert_eq!(ErrorCode::Required.message_key(), "err-required");
        assert_eq!(ErrorCode::NotInScope.message_key(), "error-not-in-scope");
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }
}
