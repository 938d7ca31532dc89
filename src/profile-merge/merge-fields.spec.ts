import { EDITABLE_COLUMNS, ProfileEditableColumn } from '../profiles/profile-columns';
import { columnsFromSource, MergeSide } from './merge-fields';

function side(
  customerNumber: number,
  columns: Partial<Record<ProfileEditableColumn, string | null>>,
): MergeSide {
  const empty = Object.fromEntries(Object.values(EDITABLE_COLUMNS).map((c) => [c, null]));
  return {
    customerNumber,
    columns: { ...empty, customer_ref: String(customerNumber), ...columns } as MergeSide['columns'],
  };
}

describe('columnsFromSource', () => {
  it("should keep the survivor's values and fill only its empty fields from the source", () => {
    const survivor = side(1, { first_name: 'Kari', surname: '', vipps_id: null });
    const source = side(2, {
      first_name: 'Ola',
      surname: 'Hansen',
      vipps_id: 'v-2',
      email: 'o@x.no',
    });
    expect(columnsFromSource(survivor, source)).toEqual({
      surname: 'Hansen',
      vipps_id: 'v-2',
      email: 'o@x.no',
    });
  });

  it('should take a phone number as one value: all three columns or none', () => {
    const source = side(2, {
      country_code: '+47',
      telephone_number_no_country_code: '98765432',
      telephone_number: '+4798765432',
    });
    expect(columnsFromSource(side(1, {}), source)).toEqual({
      country_code: '+47',
      telephone_number_no_country_code: '98765432',
      telephone_number: '+4798765432',
    });
    expect(columnsFromSource(side(1, { country_code: '+46' }), source)).toEqual({});
  });

  it("should take the source's own customerRef only while the survivor's is its default", () => {
    expect(columnsFromSource(side(1, {}), side(2, { customer_ref: 'REF-2' }))).toEqual({
      customer_ref: 'REF-2',
    });
    expect(
      columnsFromSource(side(1, { customer_ref: 'REF-1' }), side(2, { customer_ref: 'REF-2' })),
    ).toEqual({});
    expect(columnsFromSource(side(1, {}), side(2, {}))).toEqual({});
  });
});
