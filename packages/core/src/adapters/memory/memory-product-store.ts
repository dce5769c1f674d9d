import type { Product, ProductStore } from '../../ports';
import { byBytes, stored } from './stored';

/** Products in memory, per tenant, listed in SKU order as the table's sort key gives them. */
export class MemoryProductStore implements ProductStore {
  private readonly tenants = new Map<string, Map<string, Product>>();

  async get(tenantId: string, sku: string): Promise<Product | undefined> {
    const product = this.tenants.get(tenantId)?.get(sku);
    return product && stored(product);
  }

  async getMany(tenantId: string, skus: string[]): Promise<Map<string, Product>> {
    const found = new Map<string, Product>();
    for (const sku of skus) {
      const product = this.tenants.get(tenantId)?.get(sku);
      if (product) found.set(sku, stored(product));
    }
    return found;
  }

  async putMany(products: Product[]): Promise<void> {
    for (const product of products) {
      const tenant = this.tenants.get(product.tenantId) ?? new Map<string, Product>();
      tenant.set(product.sku, stored(product));
      this.tenants.set(product.tenantId, tenant);
    }
  }

  async *scan(tenantId: string): AsyncIterable<Product> {
    const skus = [...(this.tenants.get(tenantId)?.keys() ?? [])].sort(byBytes);
    for (const sku of skus) {
      const product = this.tenants.get(tenantId)?.get(sku);
      if (product) yield stored(product);
    }
  }
}
