import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseShopifyOperation, signShopifyPayload, startShopifyEmulator } from './shopify-emulator.ts';
import type { ShopifyEmulator } from './shopify-emulator.ts';

const CREATE = `mutation Create($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } userErrors { field code message } }
}`;
const LIST = `query List($after: String) { codeDiscountNodes(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`;

const input = (code: string, extra: Record<string, unknown> = {}) => ({
  title: `Title ${code}`,
  code,
  startsAt: '2026-01-01T00:00:00Z',
  context: { all: 'ALL' },
  customerGets: { value: { percentage: 0.1 }, items: { all: true } },
  ...extra,
});

type NodeShape = { id: string; codeDiscount: { status: string; endsAt: string | null; codes: { nodes: Array<{ code: string }> } } };
type Connection = { nodes: NodeShape[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
type Data = {
  discountCodeBasicCreate?: unknown;
  codeDiscountNodes?: Connection;
  discountCodeDeactivate?: { codeDiscountNode: NodeShape };
  discountCodeActivate?: { codeDiscountNode: NodeShape };
};
type GraphqlAnswer = { data?: Data; errors?: Array<{ message: string; extensions?: { code?: string } }>; extensions?: { cost: unknown } };

describe('Shopify emulator', () => {
  let emulator: ShopifyEmulator;
  const graphql = async (query: string, variables: Record<string, unknown> = {}, token = emulator.state.accessToken) => {
    const response = await fetch(`${emulator.url}/admin/api/2026-07/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphqlAnswer };
  };

  beforeEach(async () => {
    emulator = await startShopifyEmulator({ throttle: { maximumAvailable: 50, restoreRate: 5 } });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('finds the root field and reads arguments from variables and literals', () => {
    expect(parseShopifyOperation(LIST, { after: 'abc' })).toEqual({ field: 'codeDiscountNodes', args: { first: 2, after: 'abc' }, isMutation: false });
    expect(parseShopifyOperation(CREATE, { input: { code: 'X' } })).toMatchObject({ field: 'discountCodeBasicCreate', args: { basicCodeDiscount: { code: 'X' } }, isMutation: true });
    expect(parseShopifyOperation('query { shop { name } }', {})).toMatchObject({ field: 'shop', args: {} });
    expect(parseShopifyOperation('query { orders(first: 1) { nodes { id } } }', {})).toBeNull();
  });

  it('answers a wrong token with HTTP 401 and Shopify’s error string', async () => {
    const answer = await graphql('query { shop { name } }', {}, 'shpat_wrong');
    expect(answer).toEqual({ status: 401, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } });
    expect(emulator.apiVersionsSeen()).toEqual(['2026-07']);
  });

  it('creates discounts, rejects a duplicate code in any case with userErrors TAKEN, and reports the cost', async () => {
    const created = await graphql(CREATE, { input: input('SUMMER') });
    expect(created.body.data?.discountCodeBasicCreate).toMatchObject({ codeDiscountNode: { id: 'gid://shopify/DiscountCodeNode/1' }, userErrors: [] });
    expect(created.body.extensions?.cost).toEqual({ requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 50, currentlyAvailable: 40, restoreRate: 5 } });

    const duplicate = await graphql(CREATE, { input: input('summer') });
    expect(duplicate.status).toBe(200);
    expect(duplicate.body.data?.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ['basicCodeDiscount', 'code'], code: 'TAKEN', message: 'Code must be unique. Please try a different code.' }],
    });
    expect(emulator.state.discounts).toHaveLength(1);
  });

  it('throttles with HTTP 200 THROTTLED once the bucket cannot pay for the query', async () => {
    for (let i = 0; i < 5; i += 1) expect((await graphql(CREATE, { input: input(`CODE${i}`) })).body.data).toBeDefined();
    const throttled = await graphql(CREATE, { input: input('ONEMORE') });
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors).toEqual([expect.objectContaining({ message: 'Throttled', extensions: expect.objectContaining({ code: 'THROTTLED' }) })]);
    expect(throttled.body.extensions?.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: null });
    expect(emulator.state.discounts).toHaveLength(5);
  });

  it('pages codeDiscountNodes with opaque cursors', async () => {
    for (const code of ['A1', 'A2', 'A3']) await graphql(CREATE, { input: input(code) });
    const first = await graphql(LIST);
    const connection = first.body.data?.codeDiscountNodes;
    expect(connection?.nodes).toHaveLength(2);
    expect(connection?.pageInfo.hasNextPage).toBe(true);
    const second = await graphql(LIST, { after: connection?.pageInfo.endCursor });
    expect(second.body.data?.codeDiscountNodes?.nodes.map((n) => n.codeDiscount.codes.nodes[0]?.code)).toEqual(['A3']);
    expect(second.body.data?.codeDiscountNodes?.pageInfo.hasNextPage).toBe(false);
  });

  it('deactivates by ending the discount now and reactivates it', async () => {
    await graphql(CREATE, { input: input('PAUSE') });
    const id = emulator.findDiscount('pause')?.id;
    const deactivated = await graphql('mutation D($id: ID!) { discountCodeDeactivate(id: $id) { codeDiscountNode { id } userErrors { code } } }', { id });
    expect(deactivated.body.data?.discountCodeDeactivate?.codeDiscountNode.codeDiscount.status).toBe('EXPIRED');
    const activated = await graphql('mutation A($id: ID!) { discountCodeActivate(id: $id) { codeDiscountNode { id } userErrors { code } } }', { id });
    expect(activated.body.data?.discountCodeActivate?.codeDiscountNode.codeDiscount).toMatchObject({ status: 'ACTIVE', endsAt: null });
  });

  it('signs webhook payloads like Shopify (base64 HMAC-SHA256 of the raw body)', () => {
    expect(signShopifyPayload({ body: '{"id":820982911946154508}', secret: 'shpss_secret' })).toBe('jqbalbO3Z8mDmrF2/+wzM3KYvbgqzVBF969vgiIy80I=');
  });
});
