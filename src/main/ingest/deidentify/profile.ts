/**
 * The de-identification profile MIDC applies on import: a subset of the DICOM PS3.15 Annex E
 * Basic Application Level Confidentiality Profile (Table E.1-1), with the "Retain Longitudinal
 * Temporal Information with Full Dates" option (MIDC's source tags use acquisition date/time).
 *
 * Actions (PS3.15 E.1-1): X remove, Z empty (zero length), D dummy value, U replace UID
 * (deterministically, see uid-map.ts). Where the table gives a composite (X/Z, X/Z/D...), MIDC
 * takes the strongest action that keeps the object valid: X for Type 3, Z for Type 2, D for
 * Type 1 attributes. Rules that apply beyond this table (deidentify.ts):
 * - every private attribute (odd group) is removed, private creators included;
 * - curve data (groups 50xx), overlay data (60xx,3000) and overlay comments (60xx,4000) are removed;
 * - any other Person Name (VR PN) is emptied, wherever it is;
 * - any other UID (VR UI) is replaced unless it names a DICOM-defined object (1.2.840.10008.*)
 *   or is a class / coding scheme UID (KEPT_UIDS);
 * - group length elements (gggg,0000) of the data set are dropped (they would be wrong);
 * - dates and times are kept (the declared option), but Patient's Birth Date/Time are not;
 * - an object whose Burned In Annotation (0028,0301) is YES is refused: MIDC does not clean
 *   pixel data (no Clean Pixel Data option is claimed).
 * Limits: in implicit VR files the VR of an attribute not in this table is unknown, so the
 * "any other PN / UI" rules only apply to explicit VR files; such attributes are kept as they are.
 * Sequences not removed are walked recursively, so all of this also applies inside them.
 */

export type ProfileAction = 'X' | 'Z' | 'D' | 'U';

export interface ProfileEntry {
  readonly keyword: string;
  /** The VR, for implicit VR files and for dummy values. */
  readonly vr: string;
  readonly action: ProfileAction;
}

/** [tag as GGGGEEEE, keyword, VR, action] */
const TABLE: readonly (readonly [string, string, string, ProfileAction])[] = [
  // Patient
  ['00100010', 'PatientName', 'PN', 'Z'],
  ['00100020', 'PatientID', 'LO', 'Z'],
  ['00100021', 'IssuerOfPatientID', 'LO', 'X'],
  ['00100030', 'PatientBirthDate', 'DA', 'Z'],
  ['00100032', 'PatientBirthTime', 'TM', 'X'],
  ['00100040', 'PatientSex', 'CS', 'Z'],
  ['00100050', 'PatientInsurancePlanCodeSequence', 'SQ', 'X'],
  ['00100101', 'PatientPrimaryLanguageCodeSequence', 'SQ', 'X'],
  ['00101000', 'OtherPatientIDs', 'LO', 'X'],
  ['00101001', 'OtherPatientNames', 'PN', 'X'],
  ['00101002', 'OtherPatientIDsSequence', 'SQ', 'X'],
  ['00101005', 'PatientBirthName', 'PN', 'X'],
  ['00101010', 'PatientAge', 'AS', 'X'],
  ['00101020', 'PatientSize', 'DS', 'X'],
  ['00101030', 'PatientWeight', 'DS', 'X'],
  ['00101040', 'PatientAddress', 'LO', 'X'],
  ['00101060', 'PatientMotherBirthName', 'PN', 'X'],
  ['00101080', 'MilitaryRank', 'LO', 'X'],
  ['00101081', 'BranchOfService', 'LO', 'X'],
  ['00101090', 'MedicalRecordLocator', 'LO', 'X'],
  ['00101100', 'ReferencedPatientPhotoSequence', 'SQ', 'X'],
  ['00102000', 'MedicalAlerts', 'LO', 'X'],
  ['00102110', 'Allergies', 'LO', 'X'],
  ['00102150', 'CountryOfResidence', 'LO', 'X'],
  ['00102152', 'RegionOfResidence', 'LO', 'X'],
  ['00102154', 'PatientTelephoneNumbers', 'SH', 'X'],
  ['00102160', 'EthnicGroup', 'SH', 'X'],
  ['00102180', 'Occupation', 'SH', 'X'],
  ['001021B0', 'AdditionalPatientHistory', 'LT', 'X'],
  ['001021C0', 'PregnancyStatus', 'US', 'X'],
  ['001021F0', 'PatientReligiousPreference', 'LO', 'X'],
  ['00102203', 'PatientSexNeutered', 'CS', 'X'],
  ['00102297', 'ResponsiblePerson', 'PN', 'X'],
  ['00102299', 'ResponsibleOrganization', 'LO', 'X'],
  ['00104000', 'PatientComments', 'LT', 'X'],
  ['00081120', 'ReferencedPatientSequence', 'SQ', 'X'],
  ['00380010', 'AdmissionID', 'LO', 'X'],
  ['00380300', 'CurrentPatientLocation', 'LO', 'X'],
  ['00380400', 'PatientInstitutionResidence', 'LO', 'X'],
  ['00380500', 'PatientState', 'LO', 'X'],
  ['00403001', 'ConfidentialityConstraintOnPatientData', 'LO', 'X'],
  // Study, visit and request
  ['00080050', 'AccessionNumber', 'SH', 'Z'],
  ['00080090', 'ReferringPhysicianName', 'PN', 'Z'],
  ['00080092', 'ReferringPhysicianAddress', 'ST', 'X'],
  ['00080094', 'ReferringPhysicianTelephoneNumbers', 'SH', 'X'],
  ['00080096', 'ReferringPhysicianIdentificationSequence', 'SQ', 'X'],
  ['0008009C', 'ConsultingPhysicianName', 'PN', 'X'],
  ['0008009D', 'ConsultingPhysicianIdentificationSequence', 'SQ', 'X'],
  ['00080201', 'TimezoneOffsetFromUTC', 'SH', 'X'],
  ['00081030', 'StudyDescription', 'LO', 'X'],
  ['0008103E', 'SeriesDescription', 'LO', 'X'],
  ['00081048', 'PhysiciansOfRecord', 'PN', 'X'],
  ['00081049', 'PhysiciansOfRecordIdentificationSequence', 'SQ', 'X'],
  ['00081050', 'PerformingPhysicianName', 'PN', 'X'],
  ['00081052', 'PerformingPhysicianIdentificationSequence', 'SQ', 'X'],
  ['00081060', 'NameOfPhysiciansReadingStudy', 'PN', 'X'],
  ['00081062', 'PhysiciansReadingStudyIdentificationSequence', 'SQ', 'X'],
  ['00081070', 'OperatorsName', 'PN', 'X'],
  ['00081072', 'OperatorIdentificationSequence', 'SQ', 'X'],
  ['00081080', 'AdmittingDiagnosesDescription', 'LO', 'X'],
  ['00081084', 'AdmittingDiagnosesCodeSequence', 'SQ', 'X'],
  ['00082111', 'DerivationDescription', 'ST', 'X'],
  ['00084000', 'IdentifyingComments', 'LT', 'X'],
  ['00200010', 'StudyID', 'SH', 'Z'],
  ['00204000', 'ImageComments', 'LT', 'X'],
  ['00320012', 'StudyIDIssuer', 'LO', 'X'],
  ['00321020', 'ScheduledStudyLocation', 'LO', 'X'],
  ['00321021', 'ScheduledStudyLocationAETitle', 'AE', 'X'],
  ['00321032', 'RequestingPhysician', 'PN', 'X'],
  ['00321033', 'RequestingService', 'LO', 'X'],
  ['00321060', 'RequestedProcedureDescription', 'LO', 'X'],
  ['00321070', 'RequestedContrastAgent', 'LO', 'X'],
  ['00324000', 'StudyComments', 'LT', 'X'],
  ['00400001', 'ScheduledStationAETitle', 'AE', 'X'],
  ['00400006', 'ScheduledPerformingPhysicianName', 'PN', 'X'],
  ['00400009', 'ScheduledProcedureStepID', 'SH', 'X'],
  ['00400010', 'ScheduledStationName', 'SH', 'X'],
  ['00400011', 'ScheduledProcedureStepLocation', 'SH', 'X'],
  ['00400241', 'PerformedStationAETitle', 'AE', 'X'],
  ['00400242', 'PerformedStationName', 'SH', 'X'],
  ['00400243', 'PerformedLocation', 'SH', 'X'],
  ['00400253', 'PerformedProcedureStepID', 'SH', 'X'],
  ['00400254', 'PerformedProcedureStepDescription', 'LO', 'X'],
  ['00400275', 'RequestAttributesSequence', 'SQ', 'X'],
  ['00400280', 'CommentsOnThePerformedProcedureStep', 'ST', 'X'],
  ['00401001', 'RequestedProcedureID', 'SH', 'X'],
  ['00401010', 'NamesOfIntendedRecipientsOfResults', 'PN', 'X'],
  ['00401101', 'PersonIdentificationCodeSequence', 'SQ', 'X'],
  ['00401102', 'PersonAddress', 'ST', 'X'],
  ['00401103', 'PersonTelephoneNumbers', 'LO', 'X'],
  ['00401400', 'RequestedProcedureComments', 'LT', 'X'],
  ['00402008', 'OrderEnteredBy', 'PN', 'X'],
  ['00402009', 'OrderEntererLocation', 'SH', 'X'],
  ['00402010', 'OrderCallbackPhoneNumber', 'SH', 'X'],
  ['00402016', 'PlacerOrderNumberImagingServiceRequest', 'LO', 'Z'],
  ['00402017', 'FillerOrderNumberImagingServiceRequest', 'LO', 'Z'],
  ['0040A027', 'VerifyingOrganization', 'LO', 'X'],
  ['0040A073', 'VerifyingObserverSequence', 'SQ', 'X'],
  ['0040A075', 'VerifyingObserverName', 'PN', 'D'],
  ['0040A078', 'AuthorObserverSequence', 'SQ', 'X'],
  ['0040A07A', 'ParticipantSequence', 'SQ', 'X'],
  ['0040A088', 'VerifyingObserverIdentificationCodeSequence', 'SQ', 'X'],
  ['0040A123', 'PersonName', 'PN', 'D'],
  ['0040A730', 'ContentSequence', 'SQ', 'X'],
  ['00700084', 'ContentCreatorName', 'PN', 'Z'],
  ['300E0008', 'ReviewerName', 'PN', 'X'],
  ['40080102', 'InterpretationRecorder', 'PN', 'X'],
  ['4008010A', 'InterpretationTranscriber', 'PN', 'X'],
  ['40080114', 'PhysicianApprovingInterpretation', 'PN', 'X'],
  ['40080119', 'DistributionName', 'PN', 'X'],
  ['4008011A', 'DistributionAddress', 'LO', 'X'],
  ['00700086', 'ContentCreatorIdentificationCodeSequence', 'SQ', 'X'],
  // Institution, equipment and acquisition
  ['00080080', 'InstitutionName', 'LO', 'X'],
  ['00080081', 'InstitutionAddress', 'ST', 'X'],
  ['00080082', 'InstitutionCodeSequence', 'SQ', 'X'],
  ['00081010', 'StationName', 'SH', 'X'],
  ['00081040', 'InstitutionalDepartmentName', 'LO', 'X'],
  ['00181000', 'DeviceSerialNumber', 'LO', 'X'],
  ['00181004', 'PlateID', 'LO', 'X'],
  ['00181005', 'GeneratorID', 'LO', 'X'],
  ['00181007', 'CassetteID', 'LO', 'X'],
  ['00181008', 'GantryID', 'LO', 'X'],
  ['00181030', 'ProtocolName', 'LO', 'X'],
  ['00181400', 'AcquisitionDeviceProcessingDescription', 'LO', 'X'],
  ['00184000', 'AcquisitionComments', 'LT', 'X'],
  ['0018700A', 'DetectorID', 'SH', 'X'],
  ['00189424', 'AcquisitionProtocolDescription', 'LT', 'X'],
  // UIDs (U): replaced, consistently within the workspace
  ['00080014', 'InstanceCreatorUID', 'UI', 'U'],
  ['00080018', 'SOPInstanceUID', 'UI', 'U'],
  ['00081155', 'ReferencedSOPInstanceUID', 'UI', 'U'],
  ['00081195', 'TransactionUID', 'UI', 'U'],
  ['00083010', 'IrradiationEventUID', 'UI', 'U'],
  ['00181002', 'DeviceUID', 'UI', 'U'],
  ['0020000D', 'StudyInstanceUID', 'UI', 'U'],
  ['0020000E', 'SeriesInstanceUID', 'UI', 'U'],
  ['00200052', 'FrameOfReferenceUID', 'UI', 'U'],
  ['00200200', 'SynchronizationFrameOfReferenceUID', 'UI', 'U'],
  ['00209161', 'ConcatenationUID', 'UI', 'U'],
  ['00209164', 'DimensionOrganizationUID', 'UI', 'U'],
  ['00281199', 'PaletteColorLookupTableUID', 'UI', 'U'],
  ['0040A124', 'UID', 'UI', 'U'],
  ['0040A171', 'ObservationUID', 'UI', 'U'],
  ['00620021', 'TrackingUID', 'UI', 'U'],
  ['00640003', 'SourceFrameOfReferenceUID', 'UI', 'U'],
  ['00880140', 'StorageMediaFileSetUID', 'UI', 'U'],
  ['30060024', 'ReferencedFrameOfReferenceUID', 'UI', 'U'],
  ['300600C2', 'RelatedFrameOfReferenceUID', 'UI', 'U'],
  // The attributes this profile writes itself: any value already there is replaced.
  ['00120062', 'PatientIdentityRemoved', 'CS', 'X'],
  ['00120063', 'DeidentificationMethod', 'LO', 'X'],
  ['00120064', 'DeidentificationMethodCodeSequence', 'SQ', 'X'],
  ['00280303', 'LongitudinalTemporalInformationModified', 'CS', 'X'],
];

export const PROFILE: ReadonlyMap<number, ProfileEntry> = new Map(
  TABLE.map(([tag, keyword, vr, action]) => [Number.parseInt(tag, 16), { keyword, vr, action }]),
);

/** UIDs that name kinds of things (classes, syntaxes, schemes), not patients: never replaced. */
export const KEPT_UIDS: ReadonlySet<number> = new Set(
  [
    '00020002', // MediaStorageSOPClassUID
    '00020010', // TransferSyntaxUID
    '00020012', // ImplementationClassUID
    '00080016', // SOPClassUID
    '0008001A', // RelatedGeneralSOPClassUID
    '0008010C', // CodingSchemeUID
    '00080062', // SOPClassesInStudy
    '00081150', // ReferencedSOPClassUID
    '0008115A', // SOPClassesSupported
    '00083002', // AvailableTransferSyntaxUID
    '00041510', // ReferencedSOPClassUIDInFile
    '00041512', // ReferencedTransferSyntaxUIDInFile
    '0008010D', // ContextGroupExtensionCreatorUID
    '00080117', // ContextUID
    '0040DB0C', // TemplateExtensionOrganizationUID
    '0040DB0D', // TemplateExtensionCreatorUID
  ].map((t) => Number.parseInt(t, 16)),
);

/** Option codes of CID 7050 written into De-identification Method Code Sequence. */
export const METHOD_CODES: readonly { value: string; meaning: string }[] = [
  { value: '113100', meaning: 'Basic Application Confidentiality Profile' },
  { value: '113106', meaning: 'Retain Longitudinal Temporal Information Full Dates Option' },
];

/** De-identification Method (0012,0063): LO, one value per line, each at most 64 characters. */
export const METHOD_TEXT = ['PS3.15 E.1 Basic Profile (MIDC subset)', 'Retain Longitudinal Temporal Information Full Dates'];

/** Dummy values by VR for action D. */
export function dummyValue(vr: string): string {
  switch (vr) {
    case 'DA':
      return '19000101';
    case 'TM':
      return '000000';
    case 'DT':
      return '19000101000000';
    case 'AS':
      return '000Y';
    case 'DS':
    case 'IS':
      return '0';
    default:
      return 'ANONYMOUS';
  }
}

/** Curves, overlay data and overlay comments (repeating groups) are removed. */
export function isRemovedRepeatingGroup(group: number, element: number): boolean {
  if (group >= 0x5000 && group <= 0x50ff) return true;
  return group >= 0x6000 && group <= 0x60ff && (element === 0x3000 || element === 0x4000);
}
