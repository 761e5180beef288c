import { signal } from '@preact/signals';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CrmMatch } from '@/lib/crm/crm-adapter';
import { CallerCardModel, TIMELINE_KEY } from '@/lib/panel/caller-card-model';
import type { PanelClient } from '@/lib/panel/phone-model';
import { CallState } from '@/lib/phone/call-state';
import { EMPTY_SNAPSHOT, type PhoneSnapshot } from '@/lib/phone/phone-snapshot';

const ringing = (id: string, remoteNumber: string): PhoneSnapshot => ({
  ...EMPTY_SNAPSHOT,
  calls: [
    { id, accountId: 'a', direction: 'inbound', remoteUri: `sip:${remoteNumber}@pbx`, remoteNumber, state: CallState.Incoming, muted: false, startedAt: 0 },
  ],
});

const match = (id: string, name: string, extra: Partial<CrmMatch['card']> = {}): CrmMatch => ({
  card: { ref: { crm: 'amocrm', kind: 'contact', id }, name, phones: ['+79161234567'], openDeals: [], ...extra },
  matchedPhone: '+79161234567',
});

function setup(answer: () => Awaited<ReturnType<PanelClient['lookupCaller']>>) {
  const client = {
    lookupCaller: vi.fn(async () => answer()),
    chooseCaller: vi.fn(async () => null),
    saveContact: vi.fn(async (): ReturnType<PanelClient['saveContact']> => ({ ok: true, id: 'c1' })),
    openCrmRecord: vi.fn(async () => null),
    deleteContact: vi.fn(async () => null),
    createCrmRecord: vi.fn(async (): ReturnType<PanelClient['createCrmRecord']> => ({ ok: false, problem: 'no-crm' })),
  };
  const snapshot = signal<PhoneSnapshot>(EMPTY_SNAPSHOT);
  const timelineNumber = signal<string | undefined>(undefined);
  const model = new CallerCardModel({ client: client as unknown as PanelClient, snapshot, timelineNumber });
  model.start();
  return { client, snapshot, model, timelineNumber };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => fakeBrowser.reset());

describe('CallerCardModel', () => {
  it('Alice rings: the card shows her name, company, deal stage and Open in CRM', async () => {
    const { client, snapshot, model } = setup(() => ({
      numberKey: '+79161234567',
      matches: [
        match('1', 'Alice', {
          company: 'Acme',
          url: 'https://acme.amocrm.ru/contacts/detail/1',
          responsibleUser: { id: '9', name: 'Boris' },
          openDeals: [{ ref: { crm: 'amocrm', kind: 'lead', id: '5' }, name: 'Renewal', pipeline: 'Sales', stage: 'Talks' }],
        }),
      ],
    }));
    snapshot.value = ringing('c1', '+79161234567');
    expect(model.views.value.get('c1')?.status).toBe('loading');
    await settle();
    expect(model.views.value.get('c1')).toMatchObject({
      status: 'known',
      name: 'Alice',
      company: 'Acme',
      deals: [{ name: 'Renewal', stageText: 'Sales · Talks' }],
      responsibleText: 'Responsible: Boris',
      url: 'https://acme.amocrm.ru/contacts/detail/1',
    });
    await model.openInCrm('c1');
    expect(client.openCrmRecord).toHaveBeenCalledWith({ url: 'https://acme.amocrm.ru/contacts/detail/1' });
    snapshot.value = { ...snapshot.value };
    expect(client.lookupCaller).toHaveBeenCalledTimes(1);
  });

  it('a call dialled from contact 2’s card in amoCRM: the card says it is logged there and shows that contact first', async () => {
    const { snapshot, model } = setup(() => ({
      numberKey: '+79161234567',
      matches: [match('1', 'Alice'), match('2', 'Acme reception')],
    }));
    const [call] = ringing('c1', '+79161234567').calls;
    snapshot.value = {
      ...EMPTY_SNAPSHOT,
      calls: [{ ...call!, direction: 'outbound', state: CallState.Dialing, crmEntity: { crm: 'amocrm', kind: 'contact', id: '2' } }],
    };
    expect(model.views.value.get('c1')?.entityText).toBe('Started on amoCRM contact #2: logged there');
    await settle();
    expect(model.views.value.get('c1')).toMatchObject({ name: 'Acme reception', entityText: 'Started on amoCRM contact #2: logged there' });
  });

  it('several matches: the agent picks one, and the background is told to remember it', async () => {
    const { client, snapshot, model } = setup(() => ({
      numberKey: '+79161234567',
      matches: [match('1', 'Alice'), match('2', 'Acme reception')],
    }));
    snapshot.value = ringing('c1', '+79161234567');
    await settle();
    expect(model.views.value.get('c1')?.choices?.map((c) => c.label)).toEqual(['Alice', 'Acme reception']);
    await model.choose('c1', 'amocrm:contact:2');
    expect(model.views.value.get('c1')?.name).toBe('Acme reception');
    expect(client.chooseCaller).toHaveBeenCalledWith({
      number: '+79161234567',
      ref: { crm: 'amocrm', kind: 'contact', id: '2' },
    });
  });

  it('an unknown caller: Add contact saves a local contact and the card shows it', async () => {
    let known = false;
    const { client, snapshot, model } = setup(() => ({
      numberKey: '+79161234567',
      matches: known
        ? [{ card: { ref: { crm: 'local', kind: 'contact', id: 'c1' }, name: 'Bob', company: 'Fabrikam', phones: [], openDeals: [] }, matchedPhone: '' }]
        : [],
    }));
    snapshot.value = ringing('c1', '+79161234567');
    await settle();
    expect(model.views.value.get('c1')?.status).toBe('unknown');
    model.openForm('c1');
    model.editForm('c1', { name: 'Bob', company: 'Fabrikam' });
    known = true;
    await model.saveForm('c1');
    await settle();
    expect(client.saveContact).toHaveBeenCalledWith({ name: 'Bob', company: 'Fabrikam', phones: ['+79161234567'] });
    expect(model.views.value.get('c1')).toMatchObject({ status: 'known', name: 'Bob', localId: 'c1', form: undefined });
  });

  it('a refused contact keeps the form open with the reason in words', async () => {
    const { client, snapshot, model } = setup(() => ({ numberKey: '101', matches: [] }));
    client.saveContact.mockResolvedValueOnce({ ok: false, problem: 'no-name' });
    snapshot.value = ringing('c1', '101');
    await settle();
    model.openForm('c1');
    await model.saveForm('c1');
    expect(model.views.value.get('c1')?.form?.error).toBe('Enter a name.');
  });

  it('an unknown caller with amoCRM connected: Create contact and Create lead are offered instead of Add contact', async () => {
    const { snapshot, model } = setup(() => ({ numberKey: '+79035550102', matches: [], crmCreates: ['contact', 'lead'] }));
    snapshot.value = ringing('c1', '+79035550102');
    await settle();
    expect(model.views.value.get('c1')).toMatchObject({ status: 'unknown', crmCreates: ['contact', 'lead'] });
    model.openCrmForm('c1', 'lead');
    expect(model.views.value.get('c1')?.form).toEqual({
      name: '',
      company: '',
      phone: '+79035550102',
      saving: false,
      crm: 'lead',
      leadName: 'Call from +79035550102',
    });
  });

  it('without a CRM nothing is offered but Add contact, and the CRM form does not open', async () => {
    const { snapshot, model } = setup(() => ({ numberKey: '+79035550102', matches: [] }));
    snapshot.value = ringing('c1', '+79035550102');
    await settle();
    expect(model.views.value.get('c1')?.crmCreates).toBeUndefined();
    model.openCrmForm('c1', 'contact');
    expect(model.views.value.get('c1')?.form).toBeUndefined();
  });

  it('Anna, unknown, rings: Create lead sends the names once (a double click while saving sends nothing more), and the card shows her with the lead and Open in CRM', async () => {
    const { client, snapshot, model } = setup(() => ({ numberKey: '+79035550102', matches: [], crmCreates: ['contact', 'lead'] }));
    snapshot.value = ringing('c1', '+79035550102');
    await settle();
    model.openCrmForm('c1', 'lead');
    model.editForm('c1', { name: 'Анна Соколова', leadName: 'Звонок с +79035550102', company: 'Ромашка' });
    let answer: (value: Awaited<ReturnType<PanelClient['createCrmRecord']>>) => void = () => undefined;
    client.createCrmRecord.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    const saving = model.saveForm('c1');
    expect(model.views.value.get('c1')?.form?.saving).toBe(true);
    await model.saveForm('c1');
    expect(client.createCrmRecord).toHaveBeenCalledTimes(1);
    expect(client.createCrmRecord).toHaveBeenCalledWith({
      number: '+79035550102',
      kind: 'lead',
      contactName: 'Анна Соколова',
      leadName: 'Звонок с +79035550102',
      company: 'Ромашка',
    });
    const lead = { crm: 'amocrm' as const, kind: 'lead' as const, id: '77' };
    answer({
      ok: true,
      created: true,
      ref: { crm: 'amocrm', kind: 'contact', id: '100001' },
      lead,
      numberKey: '+79035550102',
      matches: [
        match('100001', 'Анна Соколова', {
          url: 'https://romashka.amocrm.ru/contacts/detail/100001',
          openDeals: [{ ref: lead, name: 'Звонок с +79035550102', pipeline: 'Продажи', stage: 'Первичный контакт' }],
        }),
      ],
    });
    await saving;
    expect(model.views.value.get('c1')).toMatchObject({
      status: 'known',
      name: 'Анна Соколова',
      deals: [{ name: 'Звонок с +79035550102', stageText: 'Продажи · Первичный контакт' }],
      url: 'https://romashka.amocrm.ru/contacts/detail/100001',
      form: undefined,
    });
    await model.openInCrm('c1');
    expect(client.openCrmRecord).toHaveBeenCalledWith({ url: 'https://romashka.amocrm.ru/contacts/detail/100001' });
  });

  it.each([
    ['rate-limited', 'Too many requests to the CRM right now: try again in a few seconds.'],
    ['auth', 'The CRM did not accept the connection: connect it again in Options, then try again.'],
    ['forbidden', 'The CRM refused: your user may not create records there.'],
    ['validation', 'The CRM refused the data: check the names and try again.'],
    ['network', 'The CRM cannot be reached: check the connection and try again.'],
    ['in-progress', 'This number is already being saved in the CRM: wait a moment.'],
  ] as const)('a %s refusal keeps the form with everything typed and says why', async (problem, words) => {
    const { client, snapshot, model } = setup(() => ({ numberKey: '+79035550102', matches: [], crmCreates: ['contact', 'lead'] }));
    client.createCrmRecord.mockResolvedValueOnce({ ok: false, problem });
    snapshot.value = ringing('c1', '+79035550102');
    await settle();
    model.openCrmForm('c1', 'lead');
    model.editForm('c1', { name: 'Анна', leadName: 'Срочный заказ' });
    await model.saveForm('c1');
    expect(model.views.value.get('c1')).toMatchObject({
      status: 'unknown',
      form: { name: 'Анна', leadName: 'Срочный заказ', crm: 'lead', saving: false, error: words },
    });
  });

  it('a lead that failed after its contact was made says both; a thrown message is worded too', async () => {
    const { client, snapshot, model } = setup(() => ({ numberKey: '+79035550102', matches: [], crmCreates: ['contact', 'lead'] }));
    client.createCrmRecord.mockResolvedValueOnce({ ok: false, problem: 'server', contactCreated: true });
    client.createCrmRecord.mockRejectedValueOnce(new Error('the background did not answer'));
    snapshot.value = ringing('c1', '+79035550102');
    await settle();
    model.openCrmForm('c1', 'lead');
    model.editForm('c1', { name: 'Анна' });
    await model.saveForm('c1');
    expect(model.views.value.get('c1')?.form?.error).toBe(
      'The CRM is having trouble: try again in a minute. The contact was created, the lead was not: try again to add the lead.',
    );
    await model.saveForm('c1');
    expect(model.views.value.get('c1')?.form).toMatchObject({ name: 'Анна', error: 'Nothing was created: Error: the background did not answer' });
  });

  it("a number's timeline shows its local contact, which can be edited and deleted there", async () => {
    let known = true;
    const { client, model, timelineNumber } = setup(() => ({
      numberKey: '+79161234567',
      matches: known
        ? [{ card: { ref: { crm: 'local', kind: 'contact', id: 'k1' }, name: 'Alice', phones: [], openDeals: [] }, matchedPhone: '' }]
        : [],
    }));
    expect(model.timelineView.value).toBeUndefined();
    timelineNumber.value = '+79161234567';
    await settle();
    expect(model.timelineView.value).toMatchObject({ status: 'known', name: 'Alice', localId: 'k1' });
    model.openForm(TIMELINE_KEY);
    expect(model.timelineView.value?.form).toMatchObject({ id: 'k1', name: 'Alice', phone: '+79161234567' });
    model.closeForm(TIMELINE_KEY);
    known = false;
    await model.deleteContact(TIMELINE_KEY);
    await settle();
    expect(client.deleteContact).toHaveBeenCalledWith({ id: 'k1' });
    expect(model.timelineView.value?.status).toBe('unknown');
    timelineNumber.value = undefined;
    expect(model.timelineView.value).toBeUndefined();
  });
});

describe('CallerCardModel with the background’s pushed cards', () => {
  function pushedSetup(answer: () => Promise<Awaited<ReturnType<PanelClient['lookupCaller']>>>) {
    const client = {
      lookupCaller: vi.fn(answer),
      chooseCaller: vi.fn(async () => null),
      saveContact: vi.fn(),
      openCrmRecord: vi.fn(),
      deleteContact: vi.fn(),
    };
    let listener: ((value: unknown) => void) | undefined;
    let stored: unknown = {};
    const pushed = {
      getValue: async () => stored,
      watch: (callback: (value: unknown) => void) => {
        listener = callback;
        return () => {
          listener = undefined;
        };
      },
    };
    const push = (value: unknown) => {
      stored = value;
      listener?.(value);
    };
    const snapshot = signal<PhoneSnapshot>(EMPTY_SNAPSHOT);
    let clock = 1000;
    const model = new CallerCardModel({
      client: client as unknown as PanelClient,
      snapshot,
      pushed,
      clock: () => clock,
    });
    model.start();
    return { client, snapshot, model, push, tick: (ms: number) => (clock += ms) };
  }

  const pushedCard = (name: string, at: number, number = '+79161234567') => ({
    number,
    numberKey: number,
    matches: name ? [match('1', name)] : [],
    at,
  });

  it('a card pushed before the ringing call arrives shows with the call, before the panel’s own request answers', async () => {
    const { snapshot, model, push } = pushedSetup(() => new Promise(() => undefined));
    push({ c1: pushedCard('Иван Иванов', 900) });
    snapshot.value = ringing('c1', '+79161234567');
    expect(model.views.value.get('c1')).toMatchObject({ status: 'known', name: 'Иван Иванов' });
  });

  it('cold cache: the panel’s lookup finds nobody, then the CRM’s card pushed by the background replaces “unknown”', async () => {
    const { snapshot, model, push, tick } = pushedSetup(async () => ({ numberKey: '+79161234567', matches: [] }));
    push({ c1: pushedCard('', 900) });
    snapshot.value = ringing('c1', '+79161234567');
    await settle();
    expect(model.views.value.get('c1')?.status).toBe('unknown');
    push({ c1: pushedCard('Иван Иванов', tick(700)) });
    expect(model.views.value.get('c1')).toMatchObject({ status: 'known', name: 'Иван Иванов' });
  });

  it('a lookup answer asked before the CRM’s pushed card does not overwrite it', async () => {
    let answer: (value: Awaited<ReturnType<PanelClient['lookupCaller']>>) => void = () => undefined;
    const { snapshot, model, push, tick } = pushedSetup(
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    );
    snapshot.value = ringing('c1', '+79161234567');
    push({ c1: pushedCard('Иван Иванов', tick(500)) });
    answer({ numberKey: '+79161234567', matches: [] });
    await settle();
    expect(model.views.value.get('c1')).toMatchObject({ status: 'known', name: 'Иван Иванов' });
  });

  it('ignores a pushed card for another number or an invalid value', async () => {
    const { snapshot, model, push } = pushedSetup(() => new Promise(() => undefined));
    snapshot.value = ringing('c1', '+79161234567');
    push({ c1: pushedCard('Someone else', 2000, '+74951112233') });
    push({ c1: { number: 42 } });
    expect(model.views.value.get('c1')?.status).toBe('loading');
  });
});
