/**
 * Every Salesforce Lightning selector Baton uses. Lightning builds record pages from web components
 * (`records-*`, `lightning-*`), several with shadow roots, so these are searched with deepQuery.
 * Component tag names and the `field-label` attribute are documented and stable; SLDS classes are
 * the fallback. When Lightning changes, this is the one file to edit.
 */
export const salesforceSelectors = {
  /**
   * One page of Lightning's page stack (standard navigation keeps each visited record in its own
   * `.oneContent`; console apps keep each workspace tab in a `.tabContent`). Earlier pages stay in the
   * DOM, hidden and without `active`: only the shown, active one is the record on screen.
   */
  pageSlot: ['.oneContent', '.tabContent', 'one-record-home-flexipage2'],
  /** What makes a page slot a record page: a highlights panel or a detail field. */
  recordContent: ['records-highlights2', 'records-record-layout-item[field-label]'],
  /** Record name in the highlights panel at the top of the page. */
  recordName: [
    'records-highlights2 [slot="primaryField"]',
    '[slot="primaryField"]',
    'h1 .slds-page-header__title',
    'h1 [data-aura-class="uiOutputText"]',
  ],
  /** Object label above the name ("Account", "Opportunity"). */
  entityLabel: ['records-highlights2 [slot="entityLabel"]', '[slot="entityLabel"]', 'records-entity-label'],
  /** One field of the detail layout; the label is an attribute, the value a formatted component inside. */
  layoutItem: ['records-record-layout-item[field-label]'],
  /** The value inside a layout item or a highlights item, by the kind of field. */
  fieldValue: [
    'lightning-formatted-text',
    'lightning-formatted-name',
    'lightning-formatted-email',
    'lightning-formatted-phone',
    'lightning-formatted-url',
    'lightning-formatted-number',
    'lightning-formatted-date-time',
    'lightning-formatted-rich-text',
    'lightning-formatted-address',
    'records-formula-output',
    'force-lookup a',
    'records-hoverable-link a',
    '.slds-form-element__static',
  ],
  /** Compact fields in the highlights panel. */
  highlightsItem: ['records-highlights-details-item'],
  highlightsLabel: ['p.slds-text-title', '.slds-text-title', 'p[title]'],
} as const;

/** `/lightning/r/<Object>/<Id>/view`: the only route with a record to show a case for. */
export const RECORD_ROUTE = /^\/lightning\/r\/([A-Za-z][A-Za-z0-9_]*)\/([A-Za-z0-9]{15}|[A-Za-z0-9]{18})\/view\/?$/;
