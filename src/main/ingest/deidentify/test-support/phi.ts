/**
 * Tests only: a distinctive PHI string for many attributes, at the top level, inside sequences
 * (defined and undefined length, kept and removed ones) and in private tags.
 */
import type { PlantElement } from './plant';

const t = (hex: string) => Number.parseInt(hex, 16);

/** Every planted value holds one of these tokens; none may survive de-identification. */
export const PHI_TOKENS: string[] = [];

function token(kind: string): string {
  const value = `PHI${String(PHI_TOKENS.length).padStart(2, '0')}${kind}`;
  PHI_TOKENS.push(value);
  return value;
}

/** Non-ASCII names (written as UTF-8 under ISO_IR 192) that must not survive in any encoding. */
export const PHI_NAMES = ['Müller^Jürgen', '张^伟华'];

/** An original UID planted in a reference inside a sequence: it must be replaced. */
export const PLANTED_REFERENCED_UID = '1.2.826.0.1.3680043.9.7777.424242';

const text = (hex: string, vr: string, kind: string): PlantElement => ({ tag: t(hex), vr, value: token(kind) });

/** The planted attributes; `explicitOnly` adds a Person Name the profile table does not list (caught by VR). */
export function phiElements(options: { explicitOnly?: boolean } = {}): PlantElement[] {
  PHI_TOKENS.length = 0;
  const elements: PlantElement[] = [
    { tag: t('00080005'), vr: 'CS', value: 'ISO_IR 192' },
    text('00080050', 'SH', 'ACCN'),
    text('00080080', 'LO', 'INSTITUTION'),
    text('00080081', 'ST', 'INSTADDRESS'),
    { tag: t('00080090'), vr: 'PN', value: `${token('REFPHYS')}^${PHI_NAMES[0]}` },
    text('00080092', 'ST', 'REFADDRESS'),
    text('00080094', 'SH', 'REFPHONE'),
    text('00081010', 'SH', 'STATION'),
    text('00081030', 'LO', 'STUDYDESC'),
    text('0008103E', 'LO', 'SERIESDESC'),
    text('00081040', 'LO', 'DEPARTMENT'),
    text('00081048', 'PN', 'PHYSOFRECORD'),
    text('00081050', 'PN', 'PERFPHYS'),
    text('00081060', 'PN', 'READINGPHYS'),
    text('00081070', 'PN', 'OPERATOR'),
    // A kept sequence (walked): references and a name inside, one item of undefined length.
    {
      tag: t('00081110'),
      vr: 'SQ',
      value: [
        {
          elements: [
            { tag: t('00081150'), vr: 'UI', value: '1.2.840.10008.3.1.2.3.1' },
            { tag: t('00081155'), vr: 'UI', value: PLANTED_REFERENCED_UID },
            text('00080080', 'LO', 'INSTINSEQ'),
            { tag: t('00100010'), vr: 'PN', value: `${token('NAMEINSEQ')}^${PHI_NAMES[1]}` },
            text('00091001', 'LO', 'PRIVINSEQ'),
          ],
        },
        { elements: [text('00081070', 'PN', 'OPINSEQ2')], undefinedLength: true },
      ],
    },
    { tag: t('00100010'), vr: 'PN', value: `${token('PATNAME')}^${PHI_NAMES[1]}` },
    text('00100020', 'LO', 'PATID'),
    { tag: t('00100030'), vr: 'DA', value: '19230405' },
    { tag: t('00100032'), vr: 'TM', value: '061530.123456' },
    text('00101000', 'LO', 'OTHERIDS'),
    { tag: t('00101001'), vr: 'PN', value: `${token('OTHERNAMES')}^${PHI_NAMES[0]}` },
    {
      tag: t('00101002'),
      vr: 'SQ',
      undefinedLength: true,
      value: [{ elements: [text('00100020', 'LO', 'OTHERIDINSEQ')], undefinedLength: true }],
    },
    text('00101040', 'LO', 'PATADDRESS'),
    text('00101060', 'PN', 'MOTHERNAME'),
    text('00101090', 'LO', 'RECORDLOC'),
    text('00102154', 'SH', 'PHONE'),
    text('00102160', 'SH', 'ETHNIC'),
    text('00102180', 'SH', 'OCCUPATION'),
    text('001021B0', 'LT', 'HISTORY'),
    text('00104000', 'LT', 'PATCOMMENTS'),
    text('00181000', 'LO', 'SERIALNO'),
    text('00200010', 'SH', 'STUDYID'),
    text('00204000', 'LT', 'IMGCOMMENTS'),
    text('00321032', 'PN', 'REQPHYS'),
    {
      tag: t('00400275'),
      vr: 'SQ',
      value: [{ elements: [text('00401001', 'SH', 'REQPROCID'), text('00400009', 'SH', 'SPSID')] }],
    },
    // Private block: creator and value.
    text('00090010', 'LO', 'PRIVCREATOR'),
    text('00091001', 'LO', 'PRIVATEVAL'),
    text('00291010', 'OB', 'PRIVOB'),
    // Curve and overlay comments.
    text('50000022', 'LO', 'CURVEDESC'),
    text('60004000', 'LT', 'OVERLAYCOMMENT'),
  ];
  if (options.explicitOnly) elements.push(text('00400006', 'PN', 'SCHEDPHYS'), text('00404037', 'PN', 'PNBYVR'));
  return elements;
}

/** The byte patterns to search for: every token, and every name in UTF-8 and (where it can be) Latin-1. */
export function phiPatterns(): Buffer[] {
  const patterns = PHI_TOKENS.map((s) => Buffer.from(s, 'latin1'));
  patterns.push(Buffer.from('19230405'), Buffer.from('061530.123456'), Buffer.from(PLANTED_REFERENCED_UID));
  for (const name of PHI_NAMES) {
    patterns.push(Buffer.from(name, 'utf8'));
    if ([...name].every((c) => c.charCodeAt(0) < 256)) patterns.push(Buffer.from(name, 'latin1'));
    for (const part of name.split('^')) patterns.push(Buffer.from(part, 'utf8'));
  }
  return patterns;
}

/** The patterns found in a byte array (empty when it is clean). */
export function survivors(bytes: Uint8Array, patterns: readonly Buffer[] = phiPatterns()): string[] {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return patterns.filter((p) => haystack.includes(p)).map((p) => p.toString('utf8'));
}
