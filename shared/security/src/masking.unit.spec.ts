import { ERASED } from '@arrears/contracts';
import { maskEmail, maskName, maskNationalId, maskPhone, maskPostalAddress } from './masking';

describe('masking', () => {
  it('maskPhone shows the last four digits only', () => {
    expect(maskPhone('+1 (555) 123-4567')).toBe('•••• 4567');
    expect(maskPhone('+8613812345678')).toBe('•••• 5678');
    expect(maskPhone('555 12')).toBe('•••• 5512');
  });

  it('maskPhone hides everything when four digits or fewer would show it all', () => {
    expect(maskPhone('123')).toBe('••••');
    expect(maskPhone('1234')).toBe('••••');
    expect(maskPhone('')).toBe('••••');
  });

  it('maskNationalId shows the last four letters or digits', () => {
    expect(maskNationalId('123-45-6789')).toBe('•••• 6789');
    expect(maskNationalId('QQ 12 34 56 C')).toBe('•••• 456C');
    expect(maskNationalId('12-3')).toBe('••••');
  });

  it('maskEmail shows the first character and the domain', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j•••@example.com');
    expect(maskEmail('Ünal@example.de')).toBe('Ü•••@example.de');
    expect(maskEmail('"odd@local"@example.com')).toBe('"•••@example.com');
  });

  it('maskEmail hides all of something that is not an address', () => {
    expect(maskEmail('jane.doe')).toBe('•••');
    expect(maskEmail('@example.com')).toBe('•••');
    expect(maskEmail('jane@')).toBe('•••');
  });

  it('maskName gives the initials', () => {
    expect(maskName('Jane Doe')).toBe('J. D.');
    expect(maskName('  María  José de la Cruz ')).toBe('M. J. d. l. C.');
    expect(maskName('Ólafur')).toBe('Ó.');
    expect(maskName('')).toBe('');
  });

  it('every mask shows an erased value as erased', () => {
    for (const mask of [maskPhone, maskNationalId, maskEmail, maskName]) expect(mask(ERASED)).toBe(ERASED);
  });

  it('shows a postal address by its city and country only', () => {
    expect(maskPostalAddress({ city: ' Springfield ', country: 'US' })).toBe('Springfield, US');
    expect(maskPostalAddress(ERASED)).toBe(ERASED);
  });
});
