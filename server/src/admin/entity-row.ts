/** One entity as the panel lists it (a file of plain types: the panel imports it too). */
export interface EntityRow {
  entity_id: string;
  /** What HA shows as the entity's name. */
  name: string;
  /** The other names Assist knows it by. */
  aliases: string[];
  domain: string;
  area: { id: string; name: string } | null;
  floor: { id: string; name: string } | null;
  exposed: boolean;
}
