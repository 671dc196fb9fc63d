// A stand-in entry that answers with the route-table location it was built or run
// with, so tests can check what a bundle really sees at run time.
export const handler = async () => ({
  bucket: process.env.EDGE_ROUTE_TABLE_BUCKET,
  prefix: process.env.EDGE_ROUTE_TABLE_PREFIX,
  key: process.env.EDGE_ROUTE_TABLE_KEY,
  clusters: process.env.EDGE_ROUTE_TABLE_CLUSTERS,
  region: process.env.EDGE_ROUTE_TABLE_REGION,
})
