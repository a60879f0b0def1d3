/**
 * Key shapes providers use (issue 14 item 5): the redaction used to hide only path segments of ≥ 20
 * letters/digits, so every short, dotted, padded or subdomain key passed.
 */
export const keyShapes = [
  { shape: 'short path key', url: 'https://x.example/v2/SECRETKEY123', secret: 'SECRETKEY123' },
  {
    shape: 'long path key (Alchemy)',
    url: 'https://arb-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWx',
    secret: 'AbCdEfGhIjKlMnOpQrStUvWx',
  },
  {
    shape: 'JWT in the path',
    url: 'https://rpc.example/jwt/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3In0.c2lnbmF0dXJl',
    secret: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3In0.c2lnbmF0dXJl',
  },
  {
    shape: 'base64 with padding in the path',
    url: 'https://rpc.example/key/dGhpc2lzYXNlY3JldA==',
    secret: 'dGhpc2lzYXNlY3JldA==',
  },
  {
    shape: 'hex-16 path key',
    url: 'https://rpc.example/0123456789abcdef',
    secret: '0123456789abcdef',
  },
  {
    shape: 'query apikey',
    url: 'https://lb.drpc.example/ogrpc?network=arbitrum&apikey=q9Ks2Lx',
    secret: 'q9Ks2Lx',
  },
  { shape: 'user:password', url: 'https://alice:hunter2pw@rpc.example:8545/', secret: 'hunter2pw' },
  {
    shape: 'hex subdomain key',
    url: 'https://3f9a2c41d8e7b605.rpc.example/',
    secret: '3f9a2c41d8e7b605',
  },
  {
    shape: 'uuid subdomain key',
    url: 'https://0e4c8d2a-77b1-4f7e-9c1d-5a6b7c8d9e0f.rpc.example/',
    secret: '0e4c8d2a-77b1-4f7e-9c1d-5a6b7c8d9e0f',
  },
  {
    shape: 'mixed-case subdomain key',
    url: 'https://Xy7pQ2mN9rT4.eth.rpc.example/',
    secret: 'Xy7pQ2mN9rT4',
  },
] as const;
